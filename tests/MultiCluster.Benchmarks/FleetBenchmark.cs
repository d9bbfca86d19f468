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
            // The churn creates and deletes pods: this many existed when every cluster was Synced.
            ["podsAtSync"] = fleet.PodsHeld,
            ["registerSeconds"] = Round(fleet.RegisterSeconds),
            ["syncSeconds"] = Round(fleet.SyncSeconds),
            ["processBytesBaseline"] = fleet.BaselineBytes,
            ["processBytesAfterSync"] = fleet.AfterSyncBytes,
            ["bytesPerPod"] = Math.Round((fleet.AfterSyncBytes - fleet.BaselineBytes) / (double)fleet.PodsHeld),
            ["churnChangesPerSecond"] = scenario.ChangesPerSecond,
            ["changesPerSecond"] = Round(fleet.ChangesPerSecond),
            ["latencySamples"] = fleet.Latency.Count,
            ["latencyMsP50"] = Round(fleet.Latency.P50),
            ["latencyMsP95"] = Round(fleet.Latency.P95),
            ["latencyMsP99"] = Round(fleet.Latency.P99),
            ["latencyMsMax"] = Round(fleet.Latency.Max),
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
        Report.Line($"| time to all {scenario.Clusters} clusters Synced (from registration) | {fleet.SyncSeconds:0.0} s | {scenario.SyncTargetSeconds:0} s |");
        Report.Line($"| dashboard memory after sync (RSS) | {Mb(fleet.AfterSyncBytes)} (baseline {Mb(fleet.BaselineBytes)}) | {(scenario.ProcessBytesTarget is { } p ? Mb(p) : "-")} |");
        Report.Line($"| bytes per pod over the baseline | {result["bytesPerPod"]:N0} | {(scenario.BytesPerPodTarget is { } b ? $"{b:N0}" : "-")} |");
        Report.Line($"| changes per second reaching the hub client (coalesced per 100 ms) | {fleet.ChangesPerSecond:N0} | churn {scenario.ChangesPerSecond:N0}/s |");
        Report.Line($"| latency, pod created → hub client has it | p50 {fleet.Latency.P50:0} ms, p95 {fleet.Latency.P95:0} ms, p99 {fleet.Latency.P99:0} ms (n={fleet.Latency.Count}) | p99 {scenario.LatencyP99TargetMs:0} ms |");
        Report.Line($"| LIST of {scenario.ListComparisonPods:N0} pods: kubectl get pods -A -o json / our informer | {list.KubectlSeconds:0.00} s / {list.InformerSeconds:0.00} s (ratio {list.InformerSeconds / list.KubectlSeconds:0.00}) | ratio ≤ 1 |");
        Report.Line($"written to {Path.GetFullPath(path)}");
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private sealed record FleetFigures(double RegisterSeconds, double SyncSeconds, long BaselineBytes, long AfterSyncBytes, int PodsHeld, double ChangesPerSecond, Percentiles Latency);

    private static async Task<FleetFigures> MeasureFleetAsync(FleetScenario scenario, string work)
    {
        var kubeconfig = Path.Combine(work, "fleet.kubeconfig");
        var clock = Stopwatch.StartNew();
        await using var simulator = ChildProcess.Start(ChildProcess.ProjectOutput("MultiCluster.Simulator"),
        [
            "--clusters", $"{scenario.Clusters}", "--nodes", $"{scenario.NodesPerCluster}", "--pods", $"{scenario.PodsPerCluster}",
            "--churn", (scenario.ChangesPerSecond / scenario.Clusters).ToString("0.###", CultureInfo.InvariantCulture),
            "--port", "0", "--kubeconfig", kubeconfig, "--name-prefix", "fleet", "--watch-history", $"{scenario.WatchHistory}",
        ]);
        await simulator.WaitForLineAsync(l => l.StartsWith("kubeconfig written", StringComparison.Ordinal), TimeSpan.FromMinutes(20));
        var contexts = Enumerable.Range(1, scenario.Clusters).Select(i => $"fleet-{i}").ToList();
        await SimulatorReadiness.WaitForPodsAsync(kubeconfig, contexts, scenario.PodsPerCluster, TimeSpan.FromMinutes(30));
        Report.Line($"simulator: {scenario.Pods:N0} pods served after {clock.Elapsed.TotalSeconds:0.0} s");

        await using var dashboard = await Dashboard.StartAsync(work);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var baseline = dashboard.Process.ResidentBytes();
        Report.Line($"dashboard: ready, {Mb(baseline)} resident with no cluster");

        await using var hub = await HubFollower.StartAsync(dashboard);
        clock.Restart();
        await dashboard.RegisterAsync(await File.ReadAllTextAsync(kubeconfig), contexts);
        var registered = clock.Elapsed.TotalSeconds;
        Report.Line($"registered {contexts.Count} clusters through the API in {registered:0.0} s (a connection test each)");
        await hub.WaitAsync(h => h.SyncedClusters == scenario.Clusters, TimeSpan.FromMinutes(10), "every cluster Synced");
        var synced = clock.Elapsed.TotalSeconds;
        var podsAtSync = hub.Pods;
        Report.Line($"all clusters Synced {synced:0.0} s after registration began; the hub client holds {hub.Pods:N0} pods");

        await Task.Delay(TimeSpan.FromSeconds(10));
        var afterSync = dashboard.Process.ResidentBytes();
        var heap = dashboard.Process.Lines.LastOrDefault(l => l.Contains("First lists of", StringComparison.Ordinal));
        Report.Line($"dashboard: {Mb(afterSync)} resident 10 s after sync; {heap?.Trim() ?? "no heap figure logged"}");

        var changesBefore = hub.Changes;
        var window = Stopwatch.StartNew();
        var latency = await Markers.MeasureAsync(kubeconfig, contexts, hub, TimeSpan.FromSeconds(30), perSecond: 20);
        var changesPerSecond = (hub.Changes - changesBefore) / window.Elapsed.TotalSeconds;
        return new FleetFigures(registered, synced, baseline, afterSync, podsAtSync, changesPerSecond, latency);
    }

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 3) : -1;

    internal static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:N0} MB";
}
