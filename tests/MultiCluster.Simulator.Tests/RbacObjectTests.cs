using k8s;
using k8s.Models;
using MultiCluster.Simulator.Hosting;
using static MultiCluster.Simulator.Tests.Access;

namespace MultiCluster.Simulator.Tests;

/// <summary>Roles, ClusterRoles and their bindings as objects (every verb, watches) and the aggregation of ClusterRoles, through KubernetesClient.</summary>
public sealed class RbacObjectTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const string ToView = "rbac.authorization.k8s.io/aggregate-to-view";

    private readonly Kubernetes _admin = fixture.CreateClient();

    private SimulatedCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Roles_and_bindings_are_served_with_every_verb_and_watched()
    {
        await _admin.CoreV1.CreateNamespaceAsync(Manifests.Namespace("obj-rbac"));
        var list = await _admin.RbacAuthorizationV1.ListNamespacedRoleBindingAsync("obj-rbac");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watch = _admin.RbacAuthorizationV1.WatchListNamespacedRoleBindingAsync("obj-rbac", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: timeout.Token);

        var role = await _admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("reader", Rule(["get"], ["pods"])), "obj-rbac");
        role.Rules = [Rule(["get", "list"], ["pods"])];
        var replaced = await _admin.RbacAuthorizationV1.ReplaceNamespacedRoleAsync(role, "reader", "obj-rbac");
        var binding = await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("readers", "Role", "reader", User("vic")), "obj-rbac");
        var patched = await _admin.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(
            new V1Patch("{\"subjects\":[{\"kind\":\"Group\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"readers\"}]}", V1Patch.PatchType.MergePatch), "readers", "obj-rbac");
        await _admin.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync("readers", "obj-rbac");
        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, item) in watch)
        {
            seen.Add((type, item.Subjects[0].Name));
            if (type == WatchEventType.Deleted)
            {
                break;
            }
        }

        Assert.Equal(["get", "list"], replaced.Rules[0].Verbs);
        Assert.Equal("Role", binding.RoleRef.Kind);
        Assert.Equal("readers", patched.Subjects.Single().Name);
        Assert.Equal([(WatchEventType.Added, "vic"), (WatchEventType.Modified, "readers"), (WatchEventType.Deleted, "readers")], seen);
        Assert.Single((await _admin.RbacAuthorizationV1.ListNamespacedRoleAsync("obj-rbac")).Items);
    }

    [Fact]
    public async Task The_bootstrap_view_edit_and_admin_roles_build_on_each_other()
    {
        var view = await RulesOfAsync("view");
        var edit = await RulesOfAsync("edit");
        var admin = await RulesOfAsync("admin");

        Assert.Contains(view, r => r.Resources.Contains("pods") && r.Verbs.SequenceEqual(["get", "list", "watch"]));
        Assert.DoesNotContain(view, r => r.Resources.Contains("secrets"));
        Assert.Contains(edit, r => r.Resources.Contains("pods") && r.Verbs.Contains("create"));
        Assert.True(view.All(v => edit.Any(e => Same(v, e))), "edit holds every rule of view");
        Assert.Contains(admin, r => r.Resources.Contains("rolebindings") && r.Verbs.Contains("create"));
        Assert.True(edit.All(e => admin.Any(a => Same(e, a))), "admin holds every rule of edit");
    }

    [Fact]
    public async Task A_ClusterRole_labelled_aggregate_to_view_extends_view_edit_and_admin_until_it_goes()
    {
        await _admin.CoreV1.CreateNamespaceAsync(Manifests.Namespace("obj-leases"));
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("wes-view", "ClusterRole", "view", User("wes")), "obj-leases");
        using var wes = ClientFor(Cluster, Cluster.AddUser("wes"));
        var leases = Rule(["get", "list", "watch"], ["leases"], "coordination.k8s.io");
        var before = await ForbiddenAsync(() => wes.CoordinationV1.ListNamespacedLeaseAsync("obj-leases"));

        await _admin.RbacAuthorizationV1.CreateClusterRoleAsync(ClusterRole("leases-view", new Dictionary<string, string> { [ToView] = "true" }, leases));
        await Wait.ForAsync(async () => (await RulesOfAsync("admin")).Any(r => Same(r, leases)), "the lease rule aggregated into view, edit and admin");
        var during = await wes.CoordinationV1.ListNamespacedLeaseAsync("obj-leases");
        await _admin.RbacAuthorizationV1.DeleteClusterRoleAsync("leases-view");
        await Wait.ForAsync(async () => !(await RulesOfAsync("view")).Any(r => Same(r, leases)), "the lease rule gone from view");
        var after = await ForbiddenAsync(() => wes.CoordinationV1.ListNamespacedLeaseAsync("obj-leases"));

        Assert.Equal("leases.coordination.k8s.io is forbidden: User \"wes\" cannot list resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"obj-leases\"", before);
        Assert.Empty(during.Items);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task An_aggregated_role_follows_its_selectors_in_name_order_without_duplicates_and_keeps_its_rules()
    {
        var obs = new Dictionary<string, string> { ["team"] = "obs" };
        await _admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "monitoring" },
            AggregationRule = new V1AggregationRule
            {
                ClusterRoleSelectors = [new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "team", OperatorProperty = "In", Values = ["obs"] }] }],
            },
        });
        await _admin.RbacAuthorizationV1.CreateClusterRoleAsync(ClusterRole("other", new Dictionary<string, string> { ["team"] = "other" }, Rule(["delete"], ["nodes"])));
        await _admin.RbacAuthorizationV1.CreateClusterRoleAsync(ClusterRole("obs-b", obs, Rule(["list"], ["events"]), Rule(["get"], ["nodes"])));
        await _admin.RbacAuthorizationV1.CreateClusterRoleAsync(ClusterRole("obs-a", obs, Rule(["get"], ["nodes"])));
        (string, string)[] expected = [("get", "nodes"), ("list", "events")];

        await Wait.ForAsync(async () => (await RulesOfAsync("monitoring")).Select(Short).SequenceEqual(expected), "monitoring aggregated from obs-a, then obs-b");
        var patched = await _admin.RbacAuthorizationV1.PatchClusterRoleAsync(new V1Patch("{\"rules\":[]}", V1Patch.PatchType.MergePatch), "monitoring");
        await Wait.ForAsync(async () => (await RulesOfAsync("monitoring")).Select(Short).SequenceEqual(expected), "monitoring's rules put back by the aggregation controller");

        Assert.Empty(patched.Rules ?? []);
    }

    private static (string, string) Short(V1PolicyRule rule) => (rule.Verbs.Single(), rule.Resources.Single());

    private async Task<IList<V1PolicyRule>> RulesOfAsync(string clusterRole) =>
        (await _admin.RbacAuthorizationV1.ReadClusterRoleAsync(clusterRole)).Rules ?? [];

    private static bool Same(V1PolicyRule a, V1PolicyRule b) =>
        a.Verbs.SequenceEqual(b.Verbs) && (a.ApiGroups ?? []).SequenceEqual(b.ApiGroups ?? []) && (a.Resources ?? []).SequenceEqual(b.Resources ?? []) &&
        (a.ResourceNames ?? []).SequenceEqual(b.ResourceNames ?? []) && (a.NonResourceURLs ?? []).SequenceEqual(b.NonResourceURLs ?? []);
}
