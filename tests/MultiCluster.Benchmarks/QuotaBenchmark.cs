using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Benchmarks;

/// <summary>
/// The reconciler engine at the size: simulated clusters of team namespaces served over HTTP, watched by the
/// real informers, one quota policy with a ResourceQuota and a LimitRange. Measures save-to-all-InSync, the repair of
/// edits made behind the dashboard's back at once, the highest write rate any cluster saw, and memory per target.
/// </summary>
public static class QuotaBenchmark
{
    private const double TargetInSyncSeconds = 20;
    private const double TargetRepairSeconds = 5;

    private static readonly QuotaPolicy Policy = new()
    {
        Name = "team-defaults",
        NamespacePatterns = ["team-*"],
        Hard = new Dictionary<string, string> { ["requests.cpu"] = "20", ["requests.memory"] = "40Gi", ["pods"] = "100" },
        Limits = [new LimitRangeItem { Type = LimitRangeItem.Container, Default = new Dictionary<string, string> { ["cpu"] = "1", ["memory"] = "512Mi" }, DefaultRequest = new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = "128Mi" } }],
    };

    public static async Task<int> RunAsync(int clusters, int namespacesPerCluster, int edits, string outDirectory)
    {
        var options = new ReconcileOptions();
        var names = Enumerable.Range(0, clusters).Select(c => $"cluster-{c:00}").ToList();
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters = [.. names.Select(n => new ClusterOptions { Name = n, Nodes = 1, Pods = 0, Namespaces = [.. Enumerable.Range(0, namespacesPerCluster).Select(i => $"team-{i:000}")] })],
        });
        using var store = new FleetStateStore(TimeProvider.System);
        var watcher = new FleetWatcher(new Fixed([.. names.Select(n => new WatchedCluster(n, n, new Dictionary<string, string>(), simulator[n].BaseUrl,
            new ClusterCredentials { Token = simulator[n].Token, CertificateAuthorityPem = simulator[n].CertificateAuthorityPem }))]),
            store, new FleetProjections(new StringPool()), new InformerOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        await watcher.StartAsync(CancellationToken.None);
        await WaitAsync(() => names.All(n => store.Cluster(n)?.Health == ClusterHealth.Synced), TimeSpan.FromMinutes(2), "every cluster Synced");
        var source = new QuotaPolicySource();
        source.Set([]);
        var engine = new ReconcileEngine(source, store, watcher, new NoJournal(), options, TimeProvider.System, NullLogger<ReconcileEngine>.Instance);
        await engine.StartAsync(CancellationToken.None);
        var heapBefore = Heap();
        var targets = clusters * namespacesPerCluster;
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"{clusters} clusters x {namespacesPerCluster} namespaces = {targets:N0} targets; write limit {options.WritesPerSecond}/s per cluster"));

        var save = Stopwatch.StartNew();
        source.Set([Policy]);
        await WaitAsync(() => InSync(store) == targets, TimeSpan.FromMinutes(3), "every target InSync");
        var inSync = save.Elapsed;
        var heapAfter = Heap();
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"save to all {targets:N0} InSync: {inSync.TotalSeconds:0.0} s (target <= {TargetInSyncSeconds} s)"));
        var perTarget = (heapAfter - heapBefore) / (double)targets;
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"managed memory per target (engine state, target rows, the two observed objects in the store, and the in-process simulator's own copies): {perTarget / 1024:0.0} KB"));

        // Edits behind the dashboard's back, all at once: the pod limit of `edits` quotas raised, spread over the clusters.
        var edited = Enumerable.Range(0, edits).Select(i => (Cluster: names[i % clusters], Namespace: $"team-{i / clusters:000}")).ToList();
        var clients = names.ToDictionary(n => n, n => new k8s.Kubernetes(simulator[n].CreateClientConfiguration()));
        var repair = Stopwatch.StartNew();
        await Parallel.ForEachAsync(edited, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (t, ct) =>
            await clients[t.Cluster].CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch("""{"spec":{"hard":{"pods":"500"}}}""", V1Patch.PatchType.MergePatch),
                Policy.ObjectName, t.Namespace, cancellationToken: ct));
        var editedIn = repair.Elapsed;
        await WaitAsync(() => edited.All(t => Hard(store, t.Cluster, t.Namespace) == "100") && InSync(store) == targets, TimeSpan.FromMinutes(1), "every edit repaired");
        var repaired = repair.Elapsed;
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"{edits} edits made in {editedIn.TotalSeconds:0.00} s, all repaired {repaired.TotalSeconds:0.00} s after the first (target <= {TargetRepairSeconds} s)"));

        // A namespace created with kubectl gets its quota: one new namespace per cluster, each timed to its target's InSync.
        var latencies = new List<double>();
        foreach (var cluster in names)
        {
            var created = Stopwatch.StartNew();
            await clients[cluster].CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-new" } });
            await WaitAsync(() => store.Get<PolicyTarget>(FleetKind.PolicyTarget, cluster, PolicyTarget.KeyOf(QuotaPolicy.OwnerKind, Policy.Name, "team-new"))?.Status == TargetStatus.InSync,
                TimeSpan.FromSeconds(30), $"team-new of {cluster} InSync");
            latencies.Add(created.Elapsed.TotalMilliseconds);
        }
        var newNamespace = Percentiles.Of(latencies);
        Report.Line($"new namespace to its quota InSync: {newNamespace} (target <= 2,000 ms)");

        var peak = names.Max(n => PeakWritesPerSecond(simulator[n]));
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"highest writes in any one second to one cluster: {peak} (limit {options.WritesPerSecond})"));
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
        await engine.StopAsync(CancellationToken.None);
        await watcher.StopAsync(CancellationToken.None);

        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, "quotas.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
        {
            clusters, namespacesPerCluster, targets, inSyncSeconds = inSync.TotalSeconds, edits, repairSeconds = repaired.TotalSeconds,
            peakWritesPerSecond = peak, writeLimit = options.WritesPerSecond, bytesPerTarget = perTarget,
            newNamespace,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Report.Line($"figures written to {path}");
        var met = inSync.TotalSeconds <= TargetInSyncSeconds && repaired.TotalSeconds <= TargetRepairSeconds && peak <= options.WritesPerSecond && newNamespace.Max <= 2_000;
        Report.Line(met ? "all targets met" : "a target was missed");
        return met ? 0 : 1;
    }

    private static int InSync(FleetStateStore store) => store.All<PolicyTarget>(FleetKind.PolicyTarget).Count(t => t.Status == TargetStatus.InSync);

    private static string? Hard(FleetStateStore store, string cluster, string ns) =>
        store.Get<QuotaSummary>(FleetKind.ResourceQuota, cluster, $"{ns}/{Policy.ObjectName}")?.Observed?.Fields.GetValueOrDefault("spec.hard.pods");

    /// <summary>The most applies the engine made to the cluster within any one second (a sliding window over its request log; the benchmark's own edits are merge patches, not counted).</summary>
    private static int PeakWritesPerSecond(SimulatedCluster cluster)
    {
        var times = cluster.Requests.Recent
            .Where(r => r.Method == "PATCH" && r.Path.Contains("fieldManager=multicluster", StringComparison.Ordinal))
            .Select(r => r.Time).Order().ToList();
        var peak = 0;
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] >= TimeSpan.FromSeconds(1))
            {
                first++;
            }
            peak = Math.Max(peak, last - first + 1);
        }
        return peak;
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {what}.");
            }
            await Task.Delay(20);
        }
    }

    private sealed class Fixed(IReadOnlyList<WatchedCluster> clusters) : IWatchedClusterSource
    {
        public Task<IReadOnlyList<WatchedCluster>> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(clusters);

        public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.Delay(timeout, cancellationToken);
    }

    private sealed class NoJournal : IReconcileJournal
    {
        public Task RecordAsync(IReadOnlyList<ReconcileSummary> summaries, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
