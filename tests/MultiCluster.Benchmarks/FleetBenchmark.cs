using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.SignalR.Client;

namespace MultiCluster.Benchmarks;

/// <summary>
/// The live fleet state end to end: a simulator process serving the fleet with churn, the dashboard as its
/// own process (Release build, Production settings) watching every cluster, and a SignalR client on
/// /hubs/fleet following clusters and pods. Prints a table and writes DIR/&lt;scenario&gt;.json.
/// </summary>
public static class FleetBenchmark
{
    public static async Task<int> RunAsync(FleetScenario scenario, string outDirectory)
    {
        Directory.CreateDirectory(outDirectory);
        var work = Directory.CreateTempSubdirectory($"mc-bench-{scenario.Name}-").FullName;
        Report.Line($"# Fleet benchmark '{scenario.Name}' ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Report.Line($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}");
        Report.Line($"fleet: {scenario.Clusters} clusters x {scenario.NodesPerCluster} nodes x {scenario.PodsPerNode} pods = {scenario.Pods:N0} pods; churn {scenario.ChangesPerSecond:N0} changes/s");

        var list = await ListComparison.RunAsync(scenario.ListComparisonPods, work);
        var fleet = await MeasureFleetAsync(scenario, work);

        var result = new Dictionary<string, object?>
        {
            ["scenario"] = scenario.Name,
            ["measuredAt"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            ["cores"] = Environment.ProcessorCount,
            ["clusters"] = scenario.Clusters,
            ["nodes"] = scenario.Clusters * scenario.NodesPerCluster,
            ["pods"] = scenario.Pods,
            // The churn creates and deletes pods (and the latency window adds 600): this many the hub client held when the
            // memory figures were read.
            ["podsHeld"] = fleet.PodsHeld,
            ["registerSeconds"] = Round(fleet.RegisterSeconds),
            ["syncSeconds"] = Round(fleet.TotalSyncSeconds),
            ["firstClusterSyncSeconds"] = fleet.FirstCluster is { } firstCluster ? Round(firstCluster.SyncSeconds) : null,
            ["timedClusters"] = fleet.TimedClusters,
            ["processBytesBaseline"] = fleet.BaselineBytes,
            ["processBytesFirstCluster"] = fleet.FirstCluster?.Bytes,
            ["processBytesAfterSync"] = fleet.AfterSyncBytes,
            ["bytesPerPod"] = fleet.BytesPerPod,
            ["bytesPerPodOverEmptyProcess"] = fleet.BytesPerPodOverEmptyProcess,
            ["churnChangesPerSecond"] = scenario.ChangesPerSecond,
            ["changesPerSecond"] = Round(fleet.ChangesPerSecond),
            ["latencySamples"] = fleet.Latency.Count,
            ["latencyMsP50"] = Round(fleet.Latency.P50),
            ["latencyMsP95"] = Round(fleet.Latency.P95),
            ["latencyMsP99"] = Round(fleet.Latency.P99),
            ["latencyMsMax"] = Round(fleet.Latency.Max),
            ["hubResyncs"] = fleet.HubResyncs,
            ["listComparisonPods"] = scenario.ListComparisonPods,
            ["kubectlListSeconds"] = Round(list.KubectlSeconds),
            ["informerListSeconds"] = Round(list.InformerSeconds),
            ["informerToKubectlRatio"] = Round(list.InformerSeconds / list.KubectlSeconds),
        };
        var path = Path.Combine(outDirectory, scenario.Name + ".json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));

        Report.Line("");
        Report.Line("| figure | measured | target |");
        Report.Line("| --- | --- | --- |");
        Report.Line(fleet.FirstCluster is null
            ? $"| time to all {scenario.Clusters} clusters Synced (from registration) | {fleet.SyncSeconds:0.0} s | {scenario.SyncTargetSeconds:0} s |"
            : $"| time to all {scenario.Clusters} clusters Synced: the first alone, then the other {fleet.TimedClusters} (each from its registration) | " +
              $"{fleet.FirstCluster.SyncSeconds:0.0} s + {fleet.SyncSeconds:0.0} s = {fleet.TotalSyncSeconds:0.0} s | {scenario.SyncTargetSeconds:0} s |");
        Report.Line($"| dashboard memory after sync (RSS) | {Mb(fleet.AfterSyncBytes)} (with no cluster {Mb(fleet.BaselineBytes)}" +
            $"{(fleet.FirstCluster is { } first ? $", with the first cluster {Mb(first.Bytes)}" : "")}) | {(scenario.ProcessBytesTarget is { } p ? Mb(p) : "-")} |");
        if (fleet.FirstCluster is not null)
        {
            Report.Line($"| bytes per pod over the first cluster (the further pods' growth) | {fleet.BytesPerPod:N0} | {(scenario.BytesPerPodTarget is { } b ? $"{b:N0}" : "-")} |");
        }

        Report.Line($"| bytes per pod over the process with no cluster (code loaded by the first cluster included) | {fleet.BytesPerPodOverEmptyProcess:N0} | {(fleet.FirstCluster is null && scenario.BytesPerPodTarget is { } e ? $"{e:N0}" : "-")} |");
        Report.Line($"| changes per second reaching the hub client (coalesced per 100 ms) | {fleet.ChangesPerSecond:N0} | churn {scenario.ChangesPerSecond:N0}/s |");
        Report.Line($"| latency, pod created → hub client has it | p50 {fleet.Latency.P50:0} ms, p95 {fleet.Latency.P95:0} ms, p99 {fleet.Latency.P99:0} ms (n={fleet.Latency.Count}) | p99 {scenario.LatencyP99TargetMs:0} ms |");
        Report.Line($"| hub client resynced for falling behind (fresh snapshots after the first, from subscribing to the end of the latency window) | {fleet.HubResyncs} | 0 |");
        Report.Line($"| LIST of {scenario.ListComparisonPods:N0} pods: kubectl get pods -A -o json / our informer | {list.KubectlSeconds:0.00} s / {list.InformerSeconds:0.00} s (ratio {list.InformerSeconds / list.KubectlSeconds:0.00}) | ratio ≤ 1 |");
        Report.Line($"written to {Path.GetFullPath(path)}");
        // The processes' output, with the time of each line, stays beside the figures; the rest of the run's directory goes.
        foreach (var log in Directory.EnumerateFiles(work, "*.log"))
        {
            File.Copy(log, Path.Combine(outDirectory, $"{scenario.Name}-{Path.GetFileName(log)}"), overwrite: true);
        }
        Report.Line($"the simulator's and the dashboard's output: {Path.GetFullPath(outDirectory)}/{scenario.Name}-*.log");
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private sealed record FleetFigures(
        int TimedClusters, double RegisterSeconds, double SyncSeconds, long BaselineBytes, FirstClusterFigures? FirstCluster, long AfterSyncBytes,
        int PodsHeld, double ChangesPerSecond, Percentiles Latency, int HubResyncs)
    {
        /// <summary>With the first cluster registered alone, its own sync and that of the others, one after the other.</summary>
        public double TotalSyncSeconds => SyncSeconds + (FirstCluster?.SyncSeconds ?? 0);

        public double BytesPerPodOverEmptyProcess => Math.Round((AfterSyncBytes - BaselineBytes) / (double)PodsHeld);

        /// <summary>
        /// What each pod costs: the growth over the first cluster's process per further pod when the fleet was started
        /// that way, else over the process with no cluster.
        /// </summary>
        public double BytesPerPod => FirstCluster is { } first
            ? Math.Round((AfterSyncBytes - first.Bytes) / (double)Math.Max(1, PodsHeld - first.Pods))
            : BytesPerPodOverEmptyProcess;
    }

    private static async Task<FleetFigures> MeasureFleetAsync(FleetScenario scenario, string work)
    {
        // A scenario with a per-pod target measures the further pods over its first cluster (see RunningFleet.StartAsync).
        await using var fleet = await RunningFleet.StartAsync(scenario, work, firstClusterAlone: scenario.BytesPerPodTarget is not null);
        var (dashboard, hub, kubeconfig, contexts) = (fleet.Dashboard, fleet.Hub, fleet.Kubeconfig, fleet.Contexts);
        var synced = Stopwatch.StartNew();
        // The latency window begins 10 s after sync in every scenario. A single memory reading comes before it, 10 s after
        // sync; the reading subtracted from the first cluster's comes after it, as long after sync as that one after its own.
        (long Bytes, int Pods)? memory = fleet.FirstCluster is null ? await ReadMemoryAsync(fleet, synced) : null;
        if (memory is null)
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
        }

        var changesBefore = hub.Changes;
        var window = Stopwatch.StartNew();
        var linesBefore = dashboard.Process.Lines.Count;
        var simulatorLinesBefore = fleet.Simulator.Lines.Count;
        var latency = await Markers.MeasureAsync(kubeconfig, contexts, hub, TimeSpan.FromSeconds(30), perSecond: 20);
        // The dashboard's own account of the window, for the tail's cause: collections, pauses, queued work, lock contention.
        foreach (var figures in dashboard.Process.Lines.Skip(linesBefore).Where(l => l.Contains("Runtime over", StringComparison.Ordinal)))
        {
            Report.Line($"dashboard during the latency window: {figures.Trim()}");
        }
        // The simulator's long collector pauses stop every cluster's changes, the markers' included.
        var simulatorPauses = fleet.Simulator.Lines.Skip(simulatorLinesBefore).Where(l => l.StartsWith("paused", StringComparison.Ordinal)).ToList();
        Report.Line(simulatorPauses.Count == 0
            ? "simulator during the latency window: no second with 500 ms or more of collector pauses"
            : $"simulator during the latency window: {string.Join("; ", simulatorPauses)}");
        var changesPerSecond = (hub.Changes - changesBefore) / window.Elapsed.TotalSeconds;
        memory ??= await ReadMemoryAsync(fleet, synced);
        return new FleetFigures(fleet.TimedClusters, fleet.RegisterSeconds, fleet.SyncSeconds, fleet.BaselineBytes, fleet.FirstCluster, memory.Value.Bytes,
            memory.Value.Pods, changesPerSecond, latency, hub.Resyncs);
    }

    /// <summary>
    /// The dashboard's resident memory <see cref="RunningFleet.Settle"/> after sync (waiting for the rest of it), with the
    /// pods the hub client held then; prints its growth over the empty process and, if read, over the first cluster.
    /// </summary>
    private static async Task<(long Bytes, int Pods)> ReadMemoryAsync(RunningFleet fleet, Stopwatch synced)
    {
        if (fleet.Settle - synced.Elapsed is { Ticks: > 0 } left)
        {
            await Task.Delay(left);
        }
        var dashboard = fleet.Dashboard;
        var (bytes, pods) = (dashboard.Process.ResidentBytes(), fleet.Hub.Pods);
        var heap = dashboard.Process.Lines.LastOrDefault(l => l.Contains("First lists of", StringComparison.Ordinal));
        Report.Line($"dashboard: {Mb(bytes)} resident {synced.Elapsed.TotalSeconds:0} s after sync, with {pods:N0} pods; {heap?.Trim() ?? "no heap figure logged"}");
        // What the growth is: code compiled and mapped once per process (the cluster code paths run for the first time
        // after the baseline), or data, which grows with the fleet.
        var (code, data) = dashboard.Process.ResidentByKind();
        var (codeBefore, dataBefore) = fleet.BaselineByKind;
        Report.Line($"dashboard: of the growth over the process with no cluster, code {Mb(code - codeBefore)} (assemblies, libraries, JIT-compiled code), " +
            $"data {Mb(data - dataBefore)} ({(data - dataBefore) / (double)Math.Max(1, pods):N0} bytes per pod)");
        if (fleet.FirstCluster is { } first)
        {
            var added = Math.Max(1, pods - first.Pods);
            Report.Line($"dashboard: of the growth over the first cluster ({added:N0} pods more), code {Mb(code - first.ByKind.Code)}, " +
                $"data {Mb(data - first.ByKind.Data)} ({(data - first.ByKind.Data) / (double)added:N0} bytes per pod)");
        }
        return (bytes, pods);
    }

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 3) : -1;

    internal static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:N0} MB";
}
