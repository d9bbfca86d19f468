using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MultiCluster.Simulator.Hosting;

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
        var waitedFor = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Sample.Now();
                var longest = LongestRecentPause(last.Collections);
                var (threads, queued) = (ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount);
                var info = GC.GetGCMemoryInfo(GCKind.Any);
                var (heap, committed) = (GC.GetTotalMemory(false), info.TotalCommittedBytes);
                // Free space between live objects after the last collection, most of it in the oldest generation, which a
                // background collection sweeps but does not compact: committed, resident, and not the process's data.
                var (free, oldFree) = (info.FragmentedBytes, info.GenerationInfo[2].FragmentationAfterBytes);
                // Waits for a blocking collection's reason within half an interval, so the next line still covers one; once
                // per collection, so one whose events never come does not hold back every line after it.
                var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
                var within = blocking != waitedFor ? TimeSpan.FromSeconds(Math.Min(5, seconds / 2)) : TimeSpan.Zero;
                waitedFor = blocking;
                var live = await LiveAfterFullCollectionAsync(reasons, within, stoppingToken);
                LogFigures(logger, seconds, now.Gen0 - last.Gen0, now.Gen1 - last.Gen1, now.Gen2 - last.Gen2, (now.Paused - last.Paused).TotalMilliseconds,
                    longest, threads, queued, now.Contentions - last.Contentions, heap / (1024 * 1024), committed / (1024 * 1024), free / (1024 * 1024),
                    oldFree / (1024 * 1024), live);
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
    private static async Task<string> LiveAfterFullCollectionAsync(BlockingCollectionReasons reasons, TimeSpan within, CancellationToken stop)
    {
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        if (background.Index == 0 && blocking.Index == 0)
        {
            return "no full collection yet";
        }
        var (last, kind) = background.Index > blocking.Index
            ? (background, "background")
            : (blocking, $"blocking, {await reasons.OfAsync(blocking.Index, within, stop)}");
        return $"{last.PromotedBytes / (1024.0 * 1024):0.0} MB promoted by full collection #{last.Index} ({kind})";
    }

    private readonly record struct Sample(int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Contentions, long Collections)
    {
        public static Sample Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(),
            Monitor.LockContentionCount, GC.GetGCMemoryInfo(GCKind.Any).Index);
    }

    [LoggerMessage(EventId = 3400, Level = LogLevel.Information,
        Message = "Runtime over {Seconds} s: {Gen0} gen0, {Gen1} gen1, {Gen2} gen2 collections, {PausedMs:0} ms paused (longest recent {LongestPauseMs:0.0} ms); thread pool {Threads} threads, {Queued} work items queued; {Contentions} lock contentions; managed heap {HeapMb} MB, {CommittedMb} MB committed, {FreeMb} MB of it free between objects ({OldFreeMb} MB in the oldest generation); {Live}")]
    private static partial void LogFigures(ILogger logger, double seconds, int gen0, int gen1, int gen2, double pausedMs, double longestPauseMs, int threads, long queued,
        long contentions, long heapMb, long committedMb, long freeMb, long oldFreeMb, string live);
}
