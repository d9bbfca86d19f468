using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Reconcile;

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
        await using var fleet = await EngineFleet.StartAsync(clusters, namespacesPerCluster);
        var source = new QuotaPolicySource();
        source.Set([]);
        await fleet.StartEngineAsync(source);
        var heapBefore = EngineFleet.Heap();
        var targets = clusters * namespacesPerCluster;
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"{clusters} clusters x {namespacesPerCluster} namespaces = {targets:N0} targets; write limit {fleet.Options.WritesPerSecond}/s per cluster"));

        var save = Stopwatch.StartNew();
        source.Set([Policy]);
        await EngineFleet.WaitAsync(() => InSync(fleet) == targets, TimeSpan.FromMinutes(3), "every target InSync");
        var inSync = save.Elapsed;
        var heapAfter = EngineFleet.Heap();
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"save to all {targets:N0} InSync: {inSync.TotalSeconds:0.0} s (target <= {TargetInSyncSeconds} s)"));
        var perTarget = (heapAfter - heapBefore) / (double)targets;
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"managed memory per target (engine state, target rows, the two observed objects in the store, and the in-process simulator's own copies): {perTarget / 1024:0.0} KB"));

        // Edits behind the dashboard's back, all at once: the pod limit of `edits` quotas raised, spread over the clusters.
        var names = fleet.Names;
        var edited = Enumerable.Range(0, edits).Select(i => (Cluster: names[i % clusters], Namespace: $"team-{i / clusters:000}")).ToList();
        var repair = Stopwatch.StartNew();
        await Parallel.ForEachAsync(edited, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (t, ct) =>
            await fleet.Clients[t.Cluster].CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch("""{"spec":{"hard":{"pods":"500"}}}""", V1Patch.PatchType.MergePatch),
                Policy.ObjectName, t.Namespace, cancellationToken: ct));
        var editedIn = repair.Elapsed;
        await EngineFleet.WaitAsync(() => edited.All(t => Hard(fleet.Store, t.Cluster, t.Namespace) == "100") && InSync(fleet) == targets, TimeSpan.FromMinutes(1), "every edit repaired");
        var repaired = repair.Elapsed;
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"{edits} edits made in {editedIn.TotalSeconds:0.00} s, all repaired {repaired.TotalSeconds:0.00} s after the first (target <= {TargetRepairSeconds} s)"));

        // A namespace created with kubectl gets its quota: one new namespace per cluster, each timed to its target's InSync.
        var newNamespace = await fleet.NewNamespaceLatencyAsync("team-new", cluster =>
            fleet.Store.Get<PolicyTarget>(FleetKind.PolicyTarget, cluster, PolicyTarget.KeyOf(QuotaPolicy.OwnerKind, Policy.Name, "team-new"))?.Status == TargetStatus.InSync);
        Report.Line($"new namespace to its quota InSync: {newNamespace} (target <= 2,000 ms)");

        var peak = fleet.PeakWritesPerSecond();
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"highest writes in any one second to one cluster: {peak} (limit {fleet.Options.WritesPerSecond})"));

        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, "quotas.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
        {
            clusters, namespacesPerCluster, targets, inSyncSeconds = inSync.TotalSeconds, edits, repairSeconds = repaired.TotalSeconds,
            peakWritesPerSecond = peak, writeLimit = fleet.Options.WritesPerSecond, bytesPerTarget = perTarget,
            newNamespace,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Report.Line($"figures written to {path}");
        var met = inSync.TotalSeconds <= TargetInSyncSeconds && repaired.TotalSeconds <= TargetRepairSeconds && peak <= fleet.Options.WritesPerSecond && newNamespace.Max <= 2_000;
        Report.Line(met ? "all targets met" : "a target was missed");
        return met ? 0 : 1;
    }

    private static int InSync(EngineFleet fleet) => fleet.Count(QuotaPolicy.OwnerKind, TargetStatus.InSync);

    private static string? Hard(FleetStateStore store, string cluster, string ns) =>
        store.Get<QuotaSummary>(FleetKind.ResourceQuota, cluster, $"{ns}/{Policy.ObjectName}")?.Observed?.Fields.GetValueOrDefault("spec.hard.pods");
}
