using k8s;
using k8s.Models;
using MultiCluster.Simulator.Hosting;
using static MultiCluster.Simulator.Tests.Access;

namespace MultiCluster.Simulator.Tests;

/// <summary>Impersonation headers as kube-apiserver checks them (the impersonate verb, names honoured) and whom the request then runs as.</summary>
public sealed class ImpersonationTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _admin = fixture.CreateClient();

    private SimulatedCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task The_admin_acts_as_a_user_and_groups_and_is_authorized_as_them()
    {
        await _admin.CoreV1.CreateNamespaceAsync(Manifests.Namespace("imp-ops"));
        var asLee = As("lee", groups: ["ops"]);

        var refused = await ForbiddenAsync(() => _admin.CoreV1.ListNamespacedPodWithHttpMessagesAsync("imp-ops", customHeaders: asLee));
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("ops-view", "ClusterRole", "view", Group("ops")), "imp-ops");
        using var allowed = await _admin.CoreV1.ListNamespacedPodWithHttpMessagesAsync("imp-ops", customHeaders: asLee);

        Assert.Equal("pods is forbidden: User \"lee\" cannot list resource \"pods\" in API group \"\" in the namespace \"imp-ops\"", refused);
        var record = Cluster.Requests.Recent.Last(r => r.Method == "GET" && r.Path.StartsWith("/clusters/alpha/api/v1/namespaces/imp-ops/pods", StringComparison.Ordinal));
        Assert.Equal(("lee", "kubernetes-admin", 200), (record.User, record.ImpersonatedBy, record.StatusCode));
        Assert.Equal(["ops", "system:authenticated"], record.Groups);
    }

    [Fact]
    public async Task Impersonating_takes_the_impersonate_verb_on_users_and_groups_names_honoured()
    {
        using var max = ClientFor(Cluster, Cluster.AddUser("max"));
        var unbound = await ForbiddenAsync(() => max.CoreV1.ListNamespaceWithHttpMessagesAsync(customHeaders: As("alice")));
        await _admin.RbacAuthorizationV1.CreateClusterRoleAsync(ClusterRole("impersonate-alice", null,
            Rule(["impersonate"], ["users"], names: ["alice"]), Rule(["impersonate"], ["groups"], names: ["devs"])));
        await _admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(ClusterRoleBinding("max-impersonates-alice", "impersonate-alice", User("max")));

        var alice = await max.AuthenticationV1.CreateSelfSubjectReviewWithHttpMessagesAsync(new V1SelfSubjectReview(), customHeaders: As("alice", groups: ["devs"]));
        var bob = await ForbiddenAsync(() => max.CoreV1.ListNamespaceWithHttpMessagesAsync(customHeaders: As("bob")));
        var admins = await ForbiddenAsync(() => max.CoreV1.ListNamespaceWithHttpMessagesAsync(customHeaders: As("alice", groups: ["admins"])));

        Assert.Equal("users \"alice\" is forbidden: User \"max\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", unbound);
        var record = Cluster.Requests.Recent.First(r => r.User == "max" && r.StatusCode == 403);
        Assert.Null(record.ImpersonatedBy);
        Assert.Equal("alice", alice.Body.Status.UserInfo.Username);
        Assert.Equal(["devs", "system:authenticated"], alice.Body.Status.UserInfo.Groups);
        Assert.Equal("users \"bob\" is forbidden: User \"max\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", bob);
        Assert.Equal("groups \"admins\" is forbidden: User \"max\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope", admins);
    }

    [Fact]
    public async Task A_uid_and_extra_are_impersonated_under_authentication_k8s_io()
    {
        await _admin.RbacAuthorizationV1.CreateClusterRoleAsync(ClusterRole("impersonate-users", null, Rule(["impersonate"], ["users"])));
        await _admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(ClusterRoleBinding("nia-impersonates", "impersonate-users", User("nia")));
        using var nia = ClientFor(Cluster, Cluster.AddUser("nia"));
        var withUid = new Dictionary<string, IReadOnlyList<string>> { ["Impersonate-User"] = ["olga"], ["Impersonate-Uid"] = ["uid-42"] };
        var withExtra = new Dictionary<string, IReadOnlyList<string>> { ["Impersonate-User"] = ["olga"], ["Impersonate-Extra-Scopes"] = ["read"] };

        var uid = await ForbiddenAsync(() => nia.CoreV1.ListNamespaceWithHttpMessagesAsync(customHeaders: withUid));
        var extra = await ForbiddenAsync(() => nia.CoreV1.ListNamespaceWithHttpMessagesAsync(customHeaders: withExtra));
        var both = new Dictionary<string, IReadOnlyList<string>>(withUid) { ["Impersonate-Extra-Scopes"] = ["read"] };
        var olga = await _admin.AuthenticationV1.CreateSelfSubjectReviewWithHttpMessagesAsync(new V1SelfSubjectReview(), customHeaders: both);

        Assert.Equal("uids.authentication.k8s.io \"uid-42\" is forbidden: User \"nia\" cannot impersonate resource \"uids\" in API group \"authentication.k8s.io\" at the cluster scope", uid);
        Assert.Equal("userextras.authentication.k8s.io \"read\" is forbidden: User \"nia\" cannot impersonate resource \"userextras/scopes\" in API group \"authentication.k8s.io\" at the cluster scope", extra);
        var info = olga.Body.Status.UserInfo;
        Assert.Equal(("olga", "uid-42"), (info.Username, info.Uid));
        Assert.Equal(["system:authenticated"], info.Groups);
        Assert.Equal(["read"], info.Extra["scopes"]);
    }

    [Fact]
    public async Task A_namespace_editor_may_impersonate_its_service_accounts_and_no_others()
    {
        foreach (var ns in new[] { "imp-mine", "imp-theirs" })
        {
            await _admin.CoreV1.CreateNamespaceAsync(Manifests.Namespace(ns));
        }
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("pat-edit", "ClusterRole", "edit", User("pat")), "imp-mine");
        using var pat = ClientFor(Cluster, Cluster.AddUser("pat"));

        var bot = await pat.AuthenticationV1.CreateSelfSubjectReviewWithHttpMessagesAsync(new V1SelfSubjectReview(), customHeaders: As("system:serviceaccount:imp-mine:bot"));
        var theirs = await ForbiddenAsync(() => pat.CoreV1.ListNamespacedPodWithHttpMessagesAsync("imp-theirs", customHeaders: As("system:serviceaccount:imp-theirs:bot")));

        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:imp-mine", "system:authenticated"], bot.Body.Status.UserInfo.Groups);
        Assert.Equal("serviceaccounts \"bot\" is forbidden: User \"pat\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"imp-theirs\"", theirs);
    }

    [Fact]
    public async Task Impersonating_system_masters_is_everything_and_groups_without_a_user_are_refused()
    {
        var asRoot = As("root-for-a-while", groups: ["system:masters"]);

        using var nodes = await _admin.CoreV1.ListNodeWithHttpMessagesAsync(customHeaders: asRoot);
        var groupsOnly = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            _admin.CoreV1.ListNodeWithHttpMessagesAsync(customHeaders: new Dictionary<string, IReadOnlyList<string>> { ["Impersonate-Group"] = ["ops"] }));

        Assert.NotEmpty(nodes.Body.Items);
        Assert.Equal(500, (int)groupsOnly.Response.StatusCode);
        Assert.Contains("without impersonating a user", groupsOnly.Response.Content, StringComparison.Ordinal);
    }

    private static Dictionary<string, IReadOnlyList<string>> As(string user, string[]? groups = null)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>> { ["Impersonate-User"] = [user] };
        if (groups is not null)
        {
            headers["Impersonate-Group"] = groups;
        }
        return headers;
    }
}
