using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace MultiCluster.Simulator.Hosting;

/// <summary>
/// The command-line simulator's care of its own process: one compaction at a known time once the seeded pods run, and
/// a line for every long pause of the garbage collector, so whoever measures against the simulator can tell its stops
/// from their own.
/// </summary>
internal static class ProcessUpkeep
{
    /// <summary>
    /// Pauses adding up to at least this much within one second get a line. Under the large fleet's churn the young
    /// collections alone take 300-400 ms of every second; a line says more than that.
    /// </summary>
    private static readonly TimeSpan LongPause = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Waits until the seeded pods run, then compacts the heap once and says so in a line starting "seeded:".
    /// Seeding writes every pod several times (created, scheduled, started), and the first versions are left as garbage
    /// between the ones that live on. With memory conservation on, the collector later compacts all of that in one
    /// blocking collection, seconds long at 450,000 pods, at a moment of its choosing and every cluster stops meanwhile.
    /// Done here, that first stop comes before anyone is told the fleet is up. It is not the last: churn leaves gaps
    /// again and the collector compacts again every few minutes, which the "paused" lines show.
    /// </summary>
    public static async Task CompactWhenSeededAsync(SimulatorHost host, long asked, TextWriter output, CancellationToken stop)
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
        var before = GC.GetTotalMemory(forceFullCollection: false);
        var compacting = Stopwatch.StartNew();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        compacting.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"seeded: {running:N0} of {asked:N0} pods Running after {seeded.TotalSeconds:0.0} s; one compacting collection took {compacting.ElapsedMilliseconds:N0} ms (managed heap {Mb(before)} -> {Mb(after)})"));
    }

    /// <summary>Writes a line starting "paused" for every second in which the collector stopped the process for long.</summary>
    public static async Task ReportPausesAsync(TextWriter output, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var (paused, full) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
        while (await timer.WaitForNextTickAsync(stop))
        {
            var (nowPaused, nowFull) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
            if (nowPaused - paused >= LongPause)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"paused {(nowPaused - paused).TotalMilliseconds:N0} ms for garbage collection in the second to {DateTime.UtcNow:HH:mm:ss} UTC ({nowFull - full} full collections)"));
            }
            (paused, full) = (nowPaused, nowFull);
        }
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:N0} MB");
}
