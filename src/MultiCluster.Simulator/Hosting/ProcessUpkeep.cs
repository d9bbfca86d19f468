using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace MultiCluster.Simulator.Hosting;

/// <summary>
/// A simulator process's care of itself at fleet scale: one compaction at a known time once the seeded pods run, then
/// background full collections only, and a line for every long pause of the garbage collector, so whoever measures
/// against the simulator can tell its stops from their own. The command line does all three; the simulator's fleet
/// benchmark, which hosts the clusters in its own process, settles the same way.
/// </summary>
public static class ProcessUpkeep
{
    /// <summary>
    /// Pauses adding up to at least this much within one second get a line. Under the large fleet's churn the young
    /// collections alone take 300-550 ms of every second; a line says more than that.
    /// </summary>
    private static readonly TimeSpan LongPause = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Waits until the seeded pods run, settles the heap (<see cref="Settle"/>) and says so in a line starting "seeded:".
    /// </summary>
    internal static async Task CompactWhenSeededAsync(SimulatorHost host, long asked, TextWriter output, CancellationToken stop)
    {
        if (asked <= 0)
        {
            return;
        }
        var clock = Stopwatch.StartNew();
        long running;
        while ((running = host.RunningPods()) < asked * SimulatorHost.SeededShare)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stop);
        }
        var seeded = clock.Elapsed;
        var settled = Settle();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"seeded: {running:N0} of {asked:N0} pods Running after {seeded.TotalSeconds:0.0} s; one compacting collection took {settled.Took.TotalMilliseconds:N0} ms (managed heap {Mb(settled.HeapBefore)} -> {Mb(settled.HeapAfter)})"));
    }

    /// <summary>
    /// Compacts the heap once, then asks the collector for background full collections only. Seeding writes every pod
    /// several times (created, scheduled, started) and leaves the first versions as garbage between the ones that live
    /// on; churn then replaces versions that live in the oldest generation. Left to itself the collector compacts that
    /// in blocking full collections, 4-8 s each at 450,000 pods, at moments of its choosing, and every simulated
    /// cluster stops meanwhile (with memory conservation on, every few minutes). Compacted here, the one stop comes
    /// before anyone is told the fleet is up; after it, full collections run beside the clusters (sustained low
    /// latency), and the runtime still blocks to compact if memory runs short.
    /// </summary>
    public static (TimeSpan Took, long HeapBefore, long HeapAfter) Settle()
    {
        var before = GC.GetTotalMemory(forceFullCollection: false);
        var compacting = Stopwatch.StartNew();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        compacting.Stop();
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        return (compacting.Elapsed, before, GC.GetTotalMemory(forceFullCollection: false));
    }

    /// <summary>
    /// Writes a line starting "paused" for every second in which the collector stopped the process for long, with the
    /// collections of that second: young ones, full ones, and whether a full one stopped everything (a background full
    /// collection pauses only briefly; a blocking one for as long as it takes to mark and compact the whole heap).
    /// </summary>
    internal static async Task ReportPausesAsync(TextWriter output, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        using var reasons = new BlockingCollectionReasons();
        var before = Collections.Now();
        while (await timer.WaitForNextTickAsync(stop))
        {
            var now = Collections.Now();
            if (now.Paused - before.Paused >= LongPause)
            {
                var blocking = "none blocking";
                if (now.LastBlocking.Index != before.LastBlocking.Index)
                {
                    blocking = Blocking(now.LastBlocking, await reasons.OfAsync(now.LastBlocking.Index, TimeSpan.FromSeconds(5), stop));
                }
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"paused {(now.Paused - before.Paused).TotalMilliseconds:N0} ms for garbage collection in the second to {DateTime.UtcNow:HH:mm:ss} UTC ({now.Young - before.Young} young, {now.Full - before.Full} full collections, {blocking})"));
            }
            before = now;
        }
    }

    /// <summary>
    /// A blocking full collection, with what the runtime tells of why it may have blocked: whether it compacted, how full
    /// the machine was against the collector's high-load mark (past it, the collector compacts to give memory back), and
    /// how much of the heap was free space between objects after it.
    /// </summary>
    private static string Blocking(GCMemoryInfo gc, string reason) => string.Create(CultureInfo.InvariantCulture,
        $"a blocking one of {gc.PauseDurations[0].TotalMilliseconds:N0} ms ({reason}; {(gc.Compacted ? "compacting" : "not compacting")}; memory load {Percent(gc.MemoryLoadBytes, gc.TotalAvailableMemoryBytes)}, high-load mark {Percent(gc.HighMemoryLoadThresholdBytes, gc.TotalAvailableMemoryBytes)}; {Mb(gc.FragmentedBytes)} fragmented after, heap {Mb(gc.HeapSizeBytes)})");

    private static string Percent(long part, long whole) => whole > 0 ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0}%") : "unknown";

    /// <summary>The collector's figures at one moment: every collection counts in generation 0's count, full ones in generation 2's.</summary>
    private sealed record Collections(TimeSpan Paused, int Young, int Full, GCMemoryInfo LastBlocking)
    {
        public static Collections Now() => new(GC.GetTotalPauseDuration(), GC.CollectionCount(0) - GC.CollectionCount(2), GC.CollectionCount(2),
            GC.GetGCMemoryInfo(GCKind.FullBlocking));
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:N0} MB");
}
