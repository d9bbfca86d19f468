using k8s;
using k8s.Models;
using MultiCluster.Core.Access;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>"Who can", worked out from what the informers hold, against what <c>kubectl auth can-i --as</c> says on the same simulated cluster.</summary>
public sealed class WhoCanTests : IAsyncLifetime
{
    private const string RbacGroup = "rbac.authorization.k8s.io";

    /// <summary>The people asked about: their names and groups.</summary>
    private static readonly (string User, string[] Groups)[] People =
        [("ana", []), ("bob", []), ("carl", []), ("dave", ["payments"]), ("eve", ["ops"])];

    private SimulatedQuotaFleet _fleet = default!;
    private string _kubeconfig = default!;

    public async Task InitializeAsync()
    {
        _fleet = await SimulatedQuotaFleet.StartAsync(("rbac", "env=test"));
        _kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("mc-whocan-").FullName, "kubeconfig");
        _fleet.WriteKubeconfig(_kubeconfig);
        using var client = _fleet.Client("rbac");
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }
        await client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "log-reader" }, Rules = [Rule(["pods/log"], ["get"])] });
        await client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = "one-pod" }, Rules = [Rule(["pods/log"], ["get"], "api-0")] }, "team-a");
        await Bind(client, "team-a", "viewers", "ClusterRole", "view", "Group", "payments");
        await Bind(client, "team-a", "logs", "ClusterRole", "log-reader", "User", "ana");
        await Bind(client, "team-b", "logs-b", "ClusterRole", "log-reader", "User", "bob");
        await Bind(client, "team-a", "pod-0", "Role", "one-pod", "User", "carl");
        await client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "operators" },
            RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = "ClusterRole", Name = "cluster-admin" },
            Subjects = [new Rbacv1Subject { ApiGroup = RbacGroup, Kind = "Group", Name = "ops" }],
        });
        await Eventually.WaitForAsync(() => Observed().Count(o => o.Kind == RbacFields.RoleBinding) >= 4 && Observed().Any(o => o.Name == "one-pod") && Observed().Any(o => o.Name == "operators"),
            TimeSpan.FromSeconds(15), "the bindings and roles in the store");
    }

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    public static TheoryData<string, string, string?, string, string?, string?> Questions => new()
    {
        { "get", "pods", "log", "", "team-a", null },
        { "get", "pods", "log", "", "team-a", "api-0" },
        { "list", "pods", null, "", "team-a", null },
        { "get", "pods", "log", "", "team-b", null },
        { "delete", "deployments", null, "apps", "team-a", null },
        { "list", "nodes", null, "", null, null },
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task Who_can_agrees_with_kubectl_auth_can_i_for_each_person(string verb, string resource, string? subresource, string apiGroup, string? ns, string? name)
    {
        var question = new AccessQuestion(verb, resource, subresource, apiGroup, ns, name);
        var allowed = WhoCan.Evaluate(question, Observed());

        foreach (var (user, groups) in People)
        {
            var byBindings = allowed.Any(a => a.Subject.Kind == "User" ? a.Subject.Name == user : a.Subject.Kind == "Group" && groups.Contains(a.Subject.Name));
            Assert.True(byBindings == await CanIAsync(question, user, groups), $"who-can says {(byBindings ? "yes" : "no")} for {user} to {question}; kubectl auth can-i disagrees");
        }
    }

    private IReadOnlyList<ManagedObject> Observed() =>
        [.. new[] { FleetKind.RoleBinding, FleetKind.ClusterRoleBinding, FleetKind.Role, FleetKind.ClusterRole }
            .SelectMany(k => _fleet.Store.All<IObservedObject>(k, "rbac")).Select(o => o.Observed).OfType<ManagedObject>()];

    private Task<bool> CanIAsync(AccessQuestion question, string user, string[] groups) =>
        MultiCluster.Tests.KubectlCanI.AskAsync(_kubeconfig, "rbac", question, user, groups);

    private static V1PolicyRule Rule(string[] resources, string[] verbs, params string[] names) =>
        new() { ApiGroups = [""], Resources = resources, Verbs = verbs, ResourceNames = names.Length > 0 ? names : null };

    private static Task<V1RoleBinding> Bind(k8s.Kubernetes client, string ns, string name, string roleKind, string role, string subjectKind, string subject) =>
        client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = roleKind, Name = role },
            Subjects = [new Rbacv1Subject { ApiGroup = RbacGroup, Kind = subjectKind, Name = subject }],
        }, ns);
}
