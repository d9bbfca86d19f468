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

    // The blocking collection the runtime began last: its start gives the reason and the generation it began as,
    // which the collector may raise (a young one made full). Read only on the listener's thread.
    private (long Index, int Depth, int Reason) _begun = (-1, 0, 0);

    // The last blocking collection that ended full (GCEnd's depth is the generation it ended as).
    private (long Index, int Depth, int Reason) _full = (-1, 0, 0);

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

    private bool Seen(long index)
    {
        lock (_gate)
        {
            return _full.Index == index;
        }
    }

    /// <summary>The reason of blocking full collection <paramref name="index"/>, if the listener has read its events yet.</summary>
    public string Of(long index)
    {
        (long Index, int Depth, int Reason) full;
        lock (_gate)
        {
            full = _full;
        }
        if (full.Index != index)
        {
            return "reason not seen";
        }
        var name = full.Reason < Names.Length ? $"reason: {Names[full.Reason]}" : $"reason {full.Reason}";
        return full.Depth == 2 ? name : $"{name}, begun as generation {full.Depth}";
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
        // GCStart: Count (the collection's number), Depth (its generation), Reason, Type (0: blocking, 1: background).
        // GCEnd: Count, Depth (the generation it ended as).
        if (e.EventId == 1 && e.Payload is { Count: >= 4 } start && Convert.ToInt32(start[3]) == 0)
        {
            _begun = (Convert.ToInt64(start[0]), Convert.ToInt32(start[1]), Convert.ToInt32(start[2]));
        }
        else if (e.EventId == 2 && e.Payload is { Count: >= 2 } end && Convert.ToInt32(end[1]) == 2 && Convert.ToInt64(end[0]) == _begun.Index)
        {
            lock (_gate)
            {
                _full = _begun;
            }
        }
    }
}
