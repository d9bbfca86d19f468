using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Tracing;
using Microsoft.Extensions.Options;

namespace MultiCluster.Web.Health;

public sealed class RuntimeFiguresOptions
{
    public const string Section = "Diagnostics";

    /// <summary>How often the runtime's figures are logged (event 3400), in seconds; 0, the default, logs none.</summary>
    [Range(0, 3600)]
    public double RuntimeFiguresSeconds { get; set; }
}

/// <summary>
/// Logs, at a set interval, what explains a latency tail from inside the process: the garbage collections and
/// their pauses, the thread pool's queue, lock contention, the heap. Off unless <c>Diagnostics:RuntimeFiguresSeconds</c>
/// is set; the fleet benchmark turns it on and prints the lines of its latency window.
/// </summary>
internal sealed partial class RuntimeFigures(IOptions<RuntimeFiguresOptions> options, TimeProvider time, ILogger<RuntimeFigures> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.RuntimeFiguresSeconds;
        if (seconds <= 0)
        {
            return;
        }
        using var reasons = new BlockingCollectionReasons();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), time);
        var last = Sample.Now();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Sample.Now();
                LogFigures(logger, seconds, now.Gen0 - last.Gen0, now.Gen1 - last.Gen1, now.Gen2 - last.Gen2, (now.Paused - last.Paused).TotalMilliseconds,
                    LongestRecentPause(last.Collections), ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, now.Contentions - last.Contentions,
                    GC.GetTotalMemory(false) / (1024 * 1024), GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes / (1024 * 1024), LiveAfterFullCollection(reasons));
                last = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The longest pause among the last collection of each kind, of those made since <paramref name="since"/>.</summary>
    private static double LongestRecentPause(long since) =>
        new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background }
            .Select(kind => GC.GetGCMemoryInfo(kind))
            .Where(info => info.Index > since)
            .Select(info => info.PauseDurations.ToArray().DefaultIfEmpty().Max().TotalMilliseconds)
            .DefaultIfEmpty()
            .Max();

    /// <summary>
    /// What the last full collection (background or blocking) promoted, in MB, with its number and kind. After a
    /// blocking one that is what the process keeps; a background one counts what its concurrent marking reached, which
    /// at a churning heap can stay the same across collections, so it is a hint, not a measure.
    /// </summary>
    private static string LiveAfterFullCollection(BlockingCollectionReasons reasons)
    {
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var (last, kind) = background.Index > blocking.Index ? (background, "background") : (blocking, $"blocking, {reasons.Of(blocking.Index)}");
        return last.Index == 0 ? "no full collection yet" : $"{last.PromotedBytes / (1024.0 * 1024):0.0} MB promoted by full collection #{last.Index} ({kind})";
    }

    /// <summary>
    /// Why the runtime began the last blocking full collection, from its own GC events (read in this process while the
    /// figures are on): a blocking one stops every thread, and its reason says whether allocation, memory or a caller asked.
    /// </summary>
    private sealed class BlockingCollectionReasons : EventListener
    {
        // The runtime's gc_reason values (GCStart's Reason).
        private static readonly string[] Names =
        [
            "small object allocation", "induced", "low memory", "empty", "large object allocation", "out of space (small objects)",
            "out of space (large objects)", "induced, not forced", "stress", "low memory, blocking", "induced, compacting",
            "low memory (host)", "provisional mode", "low memory (host), blocking",
        ];

        // The last blocking collections the runtime began, by their number: a full one may begin as a young one the collector
        // then makes full (its start says generation 1), so every blocking start is kept, in a ring that covers the seconds
        // between two figures lines at a few hundred collections a second.
        private readonly (long Index, int Depth, int Reason)[] _starts = new (long, int, int)[1024];
        private readonly Lock _gate = new();

        // The answer for the collection the figures named last: they name it again in every line until the next one,
        // long after its start has left the ring.
        private (long Index, string Reason) _named = (-1, "");

        public string Of(long index)
        {
            if (_named.Index == index)
            {
                return _named.Reason;
            }
            long seen;
            int depth, reason;
            lock (_gate)
            {
                (seen, depth, reason) = _starts[index % _starts.Length];
            }
            if (seen != index)
            {
                return "reason not seen";
            }
            var name = reason < Names.Length ? $"reason: {Names[reason]}" : $"reason {reason}";
            _named = (index, depth == 2 ? name : $"{name}, begun as generation {depth}");
            return _named.Reason;
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
            if (e.EventId != 1 || e.Payload is not { Count: >= 4 } payload || Convert.ToInt32(payload[3]) != 0)
            {
                return;
            }
            var index = Convert.ToInt64(payload[0]);
            lock (_gate)
            {
                _starts[index % _starts.Length] = (index, Convert.ToInt32(payload[1]), Convert.ToInt32(payload[2]));
            }
        }
    }

    private readonly record struct Sample(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Contentions, long Collections)
    {
        public static Sample Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(),
            Monitor.LockContentionCount, GC.GetGCMemoryInfo(GCKind.Any).Index);
    }

    [LoggerMessage(EventId = 3400, Level = LogLevel.Information,
        Message = "Runtime over {Seconds} s: {Gen0} gen0, {Gen1} gen1, {Gen2} gen2 collections, {PausedMs:0} ms paused (longest recent {LongestPauseMs:0.0} ms); thread pool {Threads} threads, {Queued} work items queued; {Contentions} lock contentions; managed heap {HeapMb} MB, {CommittedMb} MB committed; {Live}")]
    private static partial void LogFigures(ILogger logger, double seconds, int gen0, int gen1, int gen2, double pausedMs, double longestPauseMs, int threads, long queued,
        long contentions, long heapMb, long committedMb, string live);
}
