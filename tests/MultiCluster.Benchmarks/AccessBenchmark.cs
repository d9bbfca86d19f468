using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using k8s;
using MultiCluster.Core.Access;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Benchmarks;

/// <summary>
/// Access grants through the engine at the quota benchmark's size: one team's view grant on every team namespace of
/// every cluster (a RoleBinding each). Measures save-to-all-InSync, the repair of subjects added behind the dashboard's
/// back, a new namespace's binding (the 2 s), the write rate, and "who can" over every binding of a cluster.
/// </summary>
public static class AccessBenchmark
{
    private const double TargetInSyncSeconds = 20;
    private const double TargetRepairSeconds = 5;

    private static readonly Team Payments = new()
    {
        Name = "payments", DashboardRole = "Operator", Members = [new TeamMember(MemberKind.User, "ana")],
        Ceiling = new TeamCeiling { NamespacePatterns = ["team-*"], Roles = ["view"], ClusterSelector = "" },
    };

    private static readonly AccessGrant View = new() { Name = "payments-view", Team = "payments", Role = "view", ClusterSelector = "", NamespacePatterns = ["team-*"] };

    public static async Task<int> RunAsync(int clusters, int namespacesPerCluster, int edits, string outDirectory)
    {
        await using var fleet = await EngineFleet.StartAsync(clusters, namespacesPerCluster);
        var source = new AccessSource(new AccessOptions());
        source.Set(new AccessState([], [], []));
        await fleet.StartEngineAsync(source.Grants);
        var targets = clusters * namespacesPerCluster;
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"{clusters} clusters x {namespacesPerCluster} namespaces = {targets:N0} RoleBindings; write limit {fleet.Options.WritesPerSecond}/s per cluster"));

        var save = Stopwatch.StartNew();
        source.Set(new AccessState([Payments], [View], []));
        await EngineFleet.WaitAsync(() => InSync(fleet) == targets, TimeSpan.FromMinutes(3), "every binding InSync");
        var inSync = save.Elapsed;
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"save to all {targets:N0} InSync: {inSync.TotalSeconds:0.0} s (target <= {TargetInSyncSeconds} s)"));

        // Someone adds themselves to `edits` of our bindings at once: drift, taken out again.
        var names = fleet.Names;
        var edited = Enumerable.Range(0, edits).Select(i => (Cluster: names[i % clusters], Namespace: $"team-{i / clusters:000}")).ToList();
        var repair = Stopwatch.StartNew();
        await Parallel.ForEachAsync(edited, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (t, ct) =>
        {
            var binding = await fleet.Clients[t.Cluster].RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(View.BindingName, t.Namespace, cancellationToken: ct);
            binding.Subjects.Add(new k8s.Models.Rbacv1Subject { Kind = "User", Name = "mallory", ApiGroup = "rbac.authorization.k8s.io" });
            await fleet.Clients[t.Cluster].RbacAuthorizationV1.ReplaceNamespacedRoleBindingAsync(binding, View.BindingName, t.Namespace, cancellationToken: ct);
        });
        var editedIn = repair.Elapsed;
        await EngineFleet.WaitAsync(() => edited.All(t => !Subjects(fleet, t.Cluster, t.Namespace).Any(s => s.Name == "mallory")) && InSync(fleet) == targets,
            TimeSpan.FromMinutes(1), "every edit repaired");
        var repaired = repair.Elapsed;
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"{edits} bindings edited in {editedIn.TotalSeconds:0.00} s, all repaired {repaired.TotalSeconds:0.00} s after the first (target <= {TargetRepairSeconds} s)"));

        var newNamespace = await fleet.NewNamespaceLatencyAsync("team-new", cluster =>
            fleet.Store.Get<PolicyTarget>(FleetKind.PolicyTarget, cluster, PolicyTarget.KeyOf(AccessGrant.OwnerKind, View.Name, "team-new"))?.Status == TargetStatus.InSync);
        Report.Line($"new namespace to its binding InSync: {newNamespace} (target <= 2,000 ms)");

        var peak = fleet.PeakWritesPerSecond();
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"highest writes in any one second to one cluster: {peak} (limit {fleet.Options.WritesPerSecond})"));

        // "Who can get pods/log in team-…?" over every binding and role of one cluster, as the Access page asks it.
        var question = new AccessQuestion("get", "pods", "log", Namespace: $"team-{namespacesPerCluster / 2:000}");
        var kinds = new[] { FleetKind.RoleBinding, FleetKind.ClusterRoleBinding, FleetKind.Role, FleetKind.ClusterRole };
        var whoCan = Percentiles.Of(names.Select(cluster =>
        {
            var clock = Stopwatch.StartNew();
            var allowed = WhoCan.Evaluate(question, kinds.SelectMany(k => fleet.Store.All<IObservedObject>(k, cluster)).Select(o => o.Observed).OfType<ManagedObject>());
            if (!allowed.Any(a => a.Subject.Name == Payments.KubernetesGroup()))
            {
                throw new InvalidOperationException($"Who can on {cluster} does not find team payments.");
            }
            return clock.Elapsed.TotalMilliseconds;
        }));
        Report.Line($"who can get pods/log in one namespace, per cluster of {namespacesPerCluster + 1} bindings: {whoCan}");

        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, "access.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
        {
            clusters, namespacesPerCluster, targets, inSyncSeconds = inSync.TotalSeconds, edits, repairSeconds = repaired.TotalSeconds,
            peakWritesPerSecond = peak, writeLimit = fleet.Options.WritesPerSecond, newNamespace, whoCan,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Report.Line($"figures written to {path}");
        var met = inSync.TotalSeconds <= TargetInSyncSeconds && repaired.TotalSeconds <= TargetRepairSeconds && peak <= fleet.Options.WritesPerSecond && newNamespace.Max <= 2_000;
        Report.Line(met ? "all targets met" : "a target was missed");
        return met ? 0 : 1;
    }

    private static int InSync(EngineFleet fleet) => fleet.Count(AccessGrant.OwnerKind, TargetStatus.InSync);

    private static IReadOnlyList<BindingSubject> Subjects(EngineFleet fleet, string cluster, string ns) =>
        fleet.Store.Get<IObservedObject>(FleetKind.RoleBinding, cluster, $"{ns}/{View.BindingName}")?.Observed is { } observed ? RbacFields.Subjects(observed.Fields) : [];
}
