using System.Diagnostics;
using System.Globalization;

namespace MultiCluster.Benchmarks;

/// <summary>
/// A scenario's fleet running: the simulator process serving it with churn, the dashboard process watching every
/// cluster (registered through the API), and a hub client that saw them all Synced. Shared by the fleet and pages benchmarks.
/// </summary>
internal sealed class RunningFleet : IAsyncDisposable
{
    private RunningFleet(ChildProcess simulator, Dashboard dashboard, HubFollower hub, string kubeconfig, IReadOnlyList<string> contexts)
    {
        Simulator = simulator;
        Dashboard = dashboard;
        Hub = hub;
        Kubeconfig = kubeconfig;
        Contexts = contexts;
    }

    public ChildProcess Simulator { get; }

    public Dashboard Dashboard { get; }

    public HubFollower Hub { get; }

    public string Kubeconfig { get; }

    public IReadOnlyList<string> Contexts { get; }

    public long BaselineBytes { get; private set; }

    /// <summary>The baseline split into code and data (<see cref="ChildProcess.ResidentByKind"/>).</summary>
    public (long Code, long Data) BaselineByKind { get; private set; }

    /// <summary>
    /// The process with the fleet's first cluster Synced and settled, when the fleet was started with that cluster alone
    /// first: the baseline of what each further pod costs (<see cref="FirstClusterFigures"/>).
    /// </summary>
    public FirstClusterFigures? FirstCluster { get; private set; }

    /// <summary>
    /// How long after a Synced the dashboard's memory is read, at least. Two readings that are subtracted are each taken
    /// 45 s after theirs (the second after the latency window, which begins 10 s after sync): with one cluster under churn
    /// the process grows for about 35 s after it is Synced (its heap reaching its working size, its code its last tier),
    /// then holds. A single reading is taken 10 s after sync, before the window.
    /// </summary>
    public TimeSpan Settle { get; private init; }

    /// <summary>How many clusters the timed registration covered: all of them, or all but the first.</summary>
    public int TimedClusters { get; private set; }

    public double RegisterSeconds { get; private set; }

    public double SyncSeconds { get; private set; }

    /// <param name="firstClusterAlone">
    /// Register the first cluster alone, wait for it to be Synced and settled, and read the process then. The code that
    /// any cluster runs (informers, the hub's streams, the registry's writes) is loaded and compiled once per process, at
    /// the first cluster; over this baseline the growth is what the further pods cost. The timed registration is then
    /// that of the other clusters.
    /// </param>
    public static async Task<RunningFleet> StartAsync(FleetScenario scenario, string work, bool firstClusterAlone = false)
    {
        var kubeconfig = Path.Combine(work, "fleet.kubeconfig");
        var clock = Stopwatch.StartNew();
        var simulator = ChildProcess.Start(ChildProcess.ProjectOutput("MultiCluster.Simulator"),
        [
            "--clusters", $"{scenario.Clusters}", "--nodes", $"{scenario.NodesPerCluster}", "--pods", $"{scenario.PodsPerCluster}",
            "--churn", (scenario.ChangesPerSecond / scenario.Clusters).ToString("0.###", CultureInfo.InvariantCulture),
            "--port", "0", "--kubeconfig", kubeconfig, "--name-prefix", "fleet", "--watch-history", $"{scenario.WatchHistory}",
        ], log: Path.Combine(work, "simulator.log"));
        await simulator.WaitForLineAsync(l => l.StartsWith("kubeconfig written", StringComparison.Ordinal), TimeSpan.FromMinutes(20));
        // The simulator compacts its heap once the seeded pods run, and says so: that stop belongs before any measuring.
        await simulator.WaitForLineAsync(l => l.StartsWith("seeded:", StringComparison.Ordinal), TimeSpan.FromMinutes(30));
        Report.Line($"simulator {simulator.Lines.First(l => l.StartsWith("seeded:", StringComparison.Ordinal))}");
        var contexts = Enumerable.Range(1, scenario.Clusters).Select(i => $"fleet-{i}").ToList();
        await SimulatorReadiness.WaitForPodsAsync(kubeconfig, contexts, scenario.PodsPerCluster, TimeSpan.FromMinutes(30));
        Report.Line($"simulator: {scenario.Pods:N0} pods served after {clock.Elapsed.TotalSeconds:0.0} s");

        var dashboard = await Dashboard.StartAsync(work);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var baseline = dashboard.Process.ResidentBytes();
        var baselineByKind = dashboard.Process.ResidentByKind();
        Report.Line($"dashboard: ready, {FleetBenchmark.Mb(baseline)} resident with no cluster");

        var hub = await HubFollower.StartAsync(dashboard);
        var fleet = new RunningFleet(simulator, dashboard, hub, kubeconfig, contexts)
        {
            BaselineBytes = baseline,
            BaselineByKind = baselineByKind,
            Settle = TimeSpan.FromSeconds(firstClusterAlone ? 45 : 10),
        };
        var kubeconfigText = await File.ReadAllTextAsync(kubeconfig);
        IReadOnlyList<string> timed = contexts;
        if (firstClusterAlone)
        {
            clock.Restart();
            await dashboard.RegisterAsync(kubeconfigText, contexts.Take(1).ToList());
            await hub.WaitAsync(h => h.SyncedClusters == 1, TimeSpan.FromMinutes(10), "the first cluster Synced");
            var firstSync = clock.Elapsed.TotalSeconds;
            await Task.Delay(fleet.Settle);
            fleet.FirstCluster = new FirstClusterFigures(firstSync, dashboard.Process.ResidentBytes(), hub.Pods, dashboard.Process.ResidentByKind());
            Report.Line($"dashboard: its first cluster ({contexts[0]}) Synced {firstSync:0.0} s after its registration began; " +
                $"{FleetBenchmark.Mb(fleet.FirstCluster.Bytes)} resident {fleet.Settle.TotalSeconds:0} s later with {fleet.FirstCluster.Pods:N0} pods: the baseline of what each further pod costs");
            timed = contexts.Skip(1).ToList();
        }

        fleet.TimedClusters = timed.Count;
        clock.Restart();
        await dashboard.RegisterAsync(kubeconfigText, timed);
        fleet.RegisterSeconds = clock.Elapsed.TotalSeconds;
        Report.Line($"registered {timed.Count} clusters through the API in {fleet.RegisterSeconds:0.0} s (a connection test each)");
        await hub.WaitAsync(h => h.SyncedClusters == scenario.Clusters, TimeSpan.FromMinutes(10), "every cluster Synced");
        fleet.SyncSeconds = clock.Elapsed.TotalSeconds;
        Report.Line($"all clusters Synced {fleet.SyncSeconds:0.0} s after the registration of {timed.Count} began; the hub client holds {hub.Pods:N0} pods");
        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Dashboard.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}

/// <summary>
/// How long the first cluster took to be Synced from its registration, and the dashboard's resident memory (with its split
/// into code and data) and the pods it held once settled (<see cref="RunningFleet.Settle"/>).
/// </summary>
internal sealed record FirstClusterFigures(double SyncSeconds, long Bytes, int Pods, (long Code, long Data) ByKind);
