using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Benchmarks;

/// <summary>
/// The simulator carrying the large scenario's fleet in this process (150 clusters x 100 nodes x 30 pods, churn
/// 5,000 changes/s over the fleet, with the options the fleet benchmark gives the simulator's command line): time to
/// all pods Running, resident memory and managed heap after seeding and through a churn run, and how far the pod
/// count drifts from what was asked while the churn runs.
/// </summary>
public static class SimulatorFleetBenchmark
{
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(SimulatorFleetOptions options)
    {
        var asked = options.Pods;
        Report.Line($"# Simulator fleet benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Report.Line($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}");
        Report.Line($"fleet: {options.Clusters} clusters x {options.Nodes} nodes x {options.PodsPerNode} pods = {asked:N0} pods; " +
            $"churn {options.ChurnPerSecond:N0} changes/s over the fleet; watch history {options.WatchHistory:N0} changes per cluster");

        var clock = Stopwatch.StartNew();
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            WatchHistoryCapacity = options.WatchHistory,
            Clusters = [.. Enumerable.Range(1, options.Clusters).Select(i => new ClusterOptions
            {
                Name = $"fleet-{i}",
                Nodes = options.Nodes,
                Pods = options.Nodes * options.PodsPerNode,
                Seed = i,
                ChurnPerSecond = options.ChurnPerSecond / options.Clusters,
            })],
        });
        Report.Line($"listening: {options.Clusters} clusters after {clock.Elapsed.TotalSeconds:0.0} s");
        var nextReport = TimeSpan.FromSeconds(30);
        while (sim.RunningPods() < asked * SimulatorHost.SeededShare)
        {
            if (clock.Elapsed > nextReport)
            {
                nextReport += TimeSpan.FromSeconds(30);
                Report.Line($"  {clock.Elapsed.TotalSeconds:0} s: {sim.RunningPods():N0} Running of {Pods(sim):N0} pods; {Memory(collect: false)}");
            }
            if (clock.Elapsed > options.SeedTimeout)
            {
                Report.Line($"NOT SEEDED: {sim.RunningPods():N0} pods Running after {clock.Elapsed.TotalSeconds:0} s");
                return 1;
            }
            await Task.Delay(1000);
        }
        var seeded = clock.Elapsed;
        Report.Line($"seed: {sim.RunningPods():N0} pods Running after {seeded.TotalSeconds:0.0} s");
        // As the simulator's command line does once seeded: one compaction, then background full collections only.
        var settled = ProcessUpkeep.Settle();
        Report.Line($"settled: one compacting collection took {settled.Took.TotalMilliseconds:N0} ms (managed heap {FleetBenchmark.Mb(settled.HeapBefore)} -> {FleetBenchmark.Mb(settled.HeapAfter)}); {Memory(collect: false)}");

        var changesBefore = sim.Clusters.Sum(c => c.Churn.Changes);
        var churn = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var counts = new List<long>();
        var nextMinute = TimeSpan.FromMinutes(1);
        while (churn.Elapsed < options.ChurnDuration)
        {
            await Task.Delay(Sample);
            counts.Add(Pods(sim));
            if (churn.Elapsed >= nextMinute)
            {
                nextMinute += TimeSpan.FromMinutes(1);
                var rate = (sim.Clusters.Sum(c => c.Churn.Changes) - changesBefore) / churn.Elapsed.TotalSeconds;
                var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore) / churn.Elapsed * 100;
                // No full collection while the churn runs: a blocking one over 7 GB stalls the simulated clusters, and
                // each cluster makes up at most a second of its missed changes.
                Report.Line($"  churn {churn.Elapsed.TotalMinutes:0} min: {counts[^1]:N0} pods ({Drift(counts[^1], asked)}), {rate:N0} changes/s, {cpu:0}% of a core; {Memory(collect: false)}");
            }
        }
        var changes = sim.Clusters.Sum(c => c.Churn.Changes) - changesBefore;
        Report.Line($"churn: {changes:N0} changes in {churn.Elapsed.TotalMinutes:0.0} min ({changes / churn.Elapsed.TotalSeconds:N0}/s)");
        Report.Line($"pod count over the churn run ({counts.Count} samples, every {Sample.TotalSeconds:0} s): min {counts.Min():N0} ({Drift(counts.Min(), asked)}), " +
            $"max {counts.Max():N0} ({Drift(counts.Max(), asked)}), last {counts[^1]:N0} ({Drift(counts[^1], asked)}) of {asked:N0} asked");
        Report.Line($"memory after {churn.Elapsed.TotalMinutes:0} min of churn: {Memory()}");
        Report.Line("");
        Report.Line("| what | figure |");
        Report.Line("| --- | --- |");
        Report.Line($"| seed: all {asked:N0} pods Running | {seeded.TotalSeconds:0.0} s |");
        Report.Line($"| churn | {changes / churn.Elapsed.TotalSeconds:N0} changes/s for {churn.Elapsed.TotalMinutes:0} min |");
        Report.Line($"| pod count during churn | {Drift(counts.Min(), asked)} to {Drift(counts.Max(), asked)} of asked |");
        return 0;
    }

    /// <summary>Pods in the store, Running or not.</summary>
    private static long Pods(SimulatorHost sim) => sim.Clusters.Sum(c => (long)c.Store.Count(ResourceCatalog.Pods));

    private static string Drift(long count, long asked) => string.Create(CultureInfo.InvariantCulture, $"{(count - asked) * 100.0 / asked:+0.00;-0.00;0.00}%");

    /// <summary>Resident memory as the OS sees it (VmRSS, and its peak VmHWM) and the managed heap (after a full collection when asked).</summary>
    private static string Memory(bool collect = true)
    {
        if (collect)
        {
            GC.Collect();
        }
        var status = File.ReadAllLines("/proc/self/status");
        string Kb(string field) => status.First(l => l.StartsWith(field, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var rss = long.Parse(Kb("VmRSS:"), CultureInfo.InvariantCulture) * 1024;
        var peak = long.Parse(Kb("VmHWM:"), CultureInfo.InvariantCulture) * 1024;
        var heap = collect ? GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes : GC.GetTotalMemory(false);
        return $"RSS {FleetBenchmark.Mb(rss)} (peak {FleetBenchmark.Mb(peak)}), managed heap {FleetBenchmark.Mb(heap)}{(collect ? "" : " with garbage")}";
    }
}

public sealed record SimulatorFleetOptions(int Clusters, int Nodes, int PodsPerNode, double ChurnPerSecond, int WatchHistory, TimeSpan ChurnDuration, TimeSpan SeedTimeout)
{
    public int Pods => Clusters * Nodes * PodsPerNode;

    /// <summary>The large scenario's shape unless told otherwise: --clusters 150 --nodes 100 --pods-per-node 30 --churn 5000 --watch-history 5000 --minutes 10.</summary>
    public static SimulatorFleetOptions Parse(string[] args)
    {
        var large = FleetScenario.Parse("large");
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["clusters"] = large.Clusters, ["nodes"] = large.NodesPerCluster, ["pods-per-node"] = large.PodsPerNode,
            ["churn"] = large.ChangesPerSecond, ["watch-history"] = large.WatchHistory, ["minutes"] = 10, ["seed-timeout-minutes"] = 15,
        };
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var key = args[i].TrimStart('-');
            if (!values.ContainsKey(key) || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                throw new ArgumentException($"Unknown option or value: {args[i]} {args[i + 1]}");
            }
            values[key] = value;
        }
        return new SimulatorFleetOptions((int)values["clusters"], (int)values["nodes"], (int)values["pods-per-node"], values["churn"],
            (int)values["watch-history"], TimeSpan.FromMinutes(values["minutes"]), TimeSpan.FromMinutes(values["seed-timeout-minutes"]));
    }
}
