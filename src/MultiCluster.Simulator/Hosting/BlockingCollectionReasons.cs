using System.Diagnostics.Tracing;

namespace MultiCluster.Simulator.Hosting;

/// <summary>
/// Why the runtime began the last blocking full collection, from its own GC events, read in this process while the
/// listener lives: a blocking one stops every thread, and its reason says whether allocation, memory or a caller asked.
/// The dashboard's runtime figures and the simulator's pause lines both say it.
/// </summary>
public sealed class BlockingCollectionReasons : EventListener
{
    // The runtime's gc_reason values (GCStart's Reason).
    private static readonly string[] Names =
    [
        "small object allocation", "induced", "low memory", "empty", "large object allocation", "out of space (small objects)",
        "out of space (large objects)", "induced, not forced", "stress", "low memory, blocking", "induced, compacting",
        "low memory (host)", "provisional mode", "low memory (host), blocking",
    ];

    private readonly Lock _gate = new();

    // Collections begun blocking or in the background, by number, until they end: the start gives the reason and the
    // generation and kind each began as, which the collector may change (a young one made full, a background one that
    // ends blocking). Collections in the foreground of a background one are not kept. Read only on the listener's thread.
    private readonly Dictionary<long, (int Depth, int Reason, int Type)> _begun = [];

    // The last eight full collections that ended, a ring (GCEnd's depth is the generation a collection ended as).
    private readonly (long Index, int Depth, int Reason, int Type)[] _full = new (long, int, int, int)[8];
    private int _fullCount;

    /// <summary>
    /// The reason of blocking full collection <paramref name="index"/>, waiting up to <paramref name="within"/> for the
    /// runtime's events about it: they reach the listener after the collection, in a busy process seconds after.
    /// </summary>
    public async Task<string> OfAsync(long index, TimeSpan within, CancellationToken stop)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(100);
        while (!Seen(index) && waited < within)
        {
            await Task.Delay(step, stop);
            waited += step;
        }
        return Of(index);
    }

    private bool Seen(long index) => Find(index) is not null;

    /// <summary>The reason of blocking full collection <paramref name="index"/>, if the listener has read its events yet.</summary>
    public string Of(long index)
    {
        if (Find(index) is not { } full)
        {
            return "reason not seen";
        }
        var name = full.Reason < Names.Length ? $"reason: {Names[full.Reason]}" : $"reason {full.Reason}";
        return full.Type == 1 ? $"{name}, begun as a background one" : full.Depth == 2 ? name : $"{name}, begun as generation {full.Depth}";
    }

    private (long Index, int Depth, int Reason, int Type)? Find(long index)
    {
        lock (_gate)
        {
            for (var i = 0; i < Math.Min(_fullCount, _full.Length); i++)
            {
                if (_full[i].Index == index)
                {
                    return _full[i];
                }
            }
            return null;
        }
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1); // GC
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        // GCStart: Count (the collection's number), Depth (its generation), Reason, Type (0: blocking, 1: background,
        // 2: in the foreground of a background one). GCEnd: Count, Depth (the generation it ended as).
        if (e.EventId == 1 && e.Payload is { Count: >= 4 } start && Convert.ToInt32(start[3]) is 0 or 1)
        {
            if (_begun.Count > 64)
            {
                _begun.Clear(); // ends missed (events dropped): start afresh rather than grow
            }
            _begun[Convert.ToInt64(start[0])] = (Convert.ToInt32(start[1]), Convert.ToInt32(start[2]), Convert.ToInt32(start[3]));
        }
        else if (e.EventId == 2 && e.Payload is { Count: >= 2 } end && _begun.Remove(Convert.ToInt64(end[0]), out var begun) && Convert.ToInt32(end[1]) == 2)
        {
            lock (_gate)
            {
                _full[_fullCount++ % _full.Length] = (Convert.ToInt64(end[0]), begun.Depth, begun.Reason, begun.Type);
            }
        }
    }
}
