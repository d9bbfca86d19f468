using System.Diagnostics.Tracing;

namespace MultiCluster.Simulator.Hosting;

/// <summary>
/// Why the runtime ran its last full collections and how: the runtime's own GCStart events, read in the process. The
/// collector's figures (<see cref="System.GCMemoryInfo"/>) tell that a full collection blocked, not what asked for it, and
/// a blocking one stops every simulated cluster for seconds at 450,000 pods.
/// </summary>
public sealed class FullCollectionReasons : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int GcStart = 1;

    // The runtime's GC reason and type numbers (its GCStart_V2 event), in its own words.
    private static readonly string[] ReasonNames =
    [
        "small object allocation", "induced", "low memory", "empty", "large object allocation", "out of space (small objects)",
        "out of space (large objects)", "induced, not forced", "internal", "induced for low memory", "induced, compacting",
        "low memory (host)", "provisional mode", "low memory (host, blocking)",
    ];

    private static readonly string[] TypeNames = ["blocking", "background", "foreground during a background one"];

    private readonly Lock _gate = new();
    private readonly List<string> _recent = [];

    /// <summary>
    /// The full collections started since the last call, oldest first ("#N blocking: out of space (small objects)"), at
    /// most the last 16. The runtime hands its events over on a thread of its own, a moment after they happen.
    /// </summary>
    public IReadOnlyList<string> Take()
    {
        lock (_gate)
        {
            var taken = _recent.ToArray();
            _recent.Clear();
            return taken;
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != GcStart || eventData.Payload is not { Count: >= 4 } payload || Number(payload[1]) != 2)
        {
            return;
        }
        var (count, reason, type) = (Number(payload[0]), Number(payload[2]), Number(payload[3]));
        var line = $"#{count} {Name(TypeNames, type)}: {Name(ReasonNames, reason)}";
        lock (_gate)
        {
            // A process nobody asks keeps no more than the latest few.
            if (_recent.Count == 16)
            {
                _recent.RemoveAt(0);
            }
            _recent.Add(line);
        }
    }

    private static long Number(object? value) => value is IConvertible convertible ? convertible.ToInt64(System.Globalization.CultureInfo.InvariantCulture) : -1;

    private static string Name(string[] names, long value) => value >= 0 && value < names.Length ? names[value] : $"#{value}";
}
