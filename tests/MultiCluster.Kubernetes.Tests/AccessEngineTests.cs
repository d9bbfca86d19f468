using k8s;
using k8s.Models;
using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The one engine writing access: grants into RoleBindings and ClusterRoleBindings, role templates into ClusterRoles, against simulated clusters.</summary>
public sealed class AccessEngineTests : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    private static readonly Team Payments = new()
    {
        Name = "payments",
        Members = [new(MemberKind.User, "ana", IsAdmin: true)],
        Ceiling = new TeamCeiling { ClusterSelector = "env=prod", NamespacePatterns = ["team-*"], Roles = ["view", "log-reader"], AllowClusterWide = true },
    };

    private static readonly RoleTemplate LogReader = new()
    {
        Name = "log-reader",
        Rules = [new AccessRule { Resources = ["pods", "pods/log"], Verbs = ["get", "list"] }],
    };

    private static readonly AccessGrant View = new() { Name = "payments-view", Team = "payments", Role = "view", ClusterSelector = "env=prod", NamespacePatterns = ["team-*"], Users = ["bob"] };

    private SimulatedQuotaFleet _fleet = default!;
    private AccessSource _access = default!;

    public async Task InitializeAsync()
    {
        _fleet = await SimulatedQuotaFleet.StartAsync(("prod-eu", "env=prod"), ("dev", "env=dev"));
        foreach (var cluster in new[] { "prod-eu", "dev" })
        {
            await _fleet.CreateNamespaceAsync(cluster, "team-a");
        }
        _access = new AccessSource(new AccessOptions());
        await _fleet.RunEngineAsync(_access.Grants);
        await _fleet.RunEngineAsync(_access.Templates);
    }

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task A_grant_binds_the_team_in_every_matching_namespace_a_new_one_too_and_drift_is_repaired()
    {
        _access.Set(new AccessState([Payments], [View], []));

        await WaitForAsync("prod-eu", AccessGrant.OwnerKind, "payments-view", "team-a", TargetStatus.InSync);
        using var eu = _fleet.Client("prod-eu");
        var binding = await eu.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("mc-payments-view", "team-a");
        Assert.Equal(("view", "multicluster"), (binding.RoleRef.Name, binding.Metadata.Labels["app.kubernetes.io/managed-by"]));
        Assert.Equal(["Group:multicluster:team:payments", "User:multicluster:user:bob"], binding.Subjects.Select(s => $"{s.Kind}:{s.Name}").Order(StringComparer.Ordinal));
        Assert.Null(_fleet.Target("dev", AccessGrant.OwnerKind, "payments-view", "team-a"));

        await _fleet.CreateNamespaceAsync("prod-eu", "team-b");
        await WaitForAsync("prod-eu", AccessGrant.OwnerKind, "payments-view", "team-b", TargetStatus.InSync);

        // Someone adds themselves to our binding: that is drift, and it is taken out again.
        binding = await eu.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("mc-payments-view", "team-a");
        binding.Subjects.Add(new Rbacv1Subject { Kind = "User", Name = "mallory", ApiGroup = "rbac.authorization.k8s.io" });
        await eu.RbacAuthorizationV1.ReplaceNamespacedRoleBindingAsync(binding, "mc-payments-view", "team-a");
        await Eventually.WaitForAsync(() => !eu.RbacAuthorizationV1.ReadNamespacedRoleBinding("mc-payments-view", "team-a").Subjects.Any(s => s.Name == "mallory"), Settle, "mallory taken out of the binding");
    }

    [Fact]
    public async Task A_role_template_is_written_where_its_grant_reaches_and_both_leave_when_the_grant_goes()
    {
        var grant = new AccessGrant { Name = "payments-logs", Team = "payments", Role = "log-reader", ClusterSelector = "env=prod", ClusterWide = true };
        _access.Set(new AccessState([Payments], [grant], [LogReader]));

        await WaitForAsync("prod-eu", AccessGrant.OwnerKind, "payments-logs", null, TargetStatus.InSync);
        await WaitForAsync("prod-eu", RoleTemplate.OwnerKind, "log-reader", null, TargetStatus.InSync);
        using var eu = _fleet.Client("prod-eu");
        Assert.Equal("mc-log-reader", (await eu.RbacAuthorizationV1.ReadClusterRoleBindingAsync("mc-payments-log-reader")).RoleRef.Name);
        Assert.Equal(["get", "list"], (await eu.RbacAuthorizationV1.ReadClusterRoleAsync("mc-log-reader")).Rules.Single().Verbs.Order(StringComparer.Ordinal));
        using var dev = _fleet.Client("dev");
        Assert.DoesNotContain((await dev.RbacAuthorizationV1.ListClusterRoleAsync()).Items, r => r.Metadata.Name == "mc-log-reader");

        _access.Set(new AccessState([Payments], [], [LogReader]));

        await Eventually.WaitForAsync(() => !eu.RbacAuthorizationV1.ListClusterRoleBinding().Items.Any(b => b.Metadata.Name == "mc-payments-log-reader")
            && !eu.RbacAuthorizationV1.ListClusterRole().Items.Any(r => r.Metadata.Name == "mc-log-reader"), Settle, "the binding and the template's ClusterRole gone");
    }

    private Task WaitForAsync(string cluster, string ownerKind, string owner, string? ns, TargetStatus status) =>
        Eventually.WaitForAsync(() => _fleet.Target(cluster, ownerKind, owner, ns)?.Status == status, Settle,
            $"{cluster}/{ns} of {ownerKind} {owner} to be {status} (it is {_fleet.Target(cluster, ownerKind, owner, ns)?.Status.ToString() ?? "not a target"}: {_fleet.Target(cluster, ownerKind, owner, ns)?.Message})");
}
