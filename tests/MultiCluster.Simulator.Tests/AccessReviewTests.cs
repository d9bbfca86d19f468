using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Simulator.Hosting;
using static MultiCluster.Simulator.Tests.Access;

namespace MultiCluster.Simulator.Tests;

/// <summary>authorization.k8s.io and authentication.k8s.io reviews through KubernetesClient: the answers, RBAC's reasons and the refusals.</summary>
public sealed class AccessReviewTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _admin = fixture.CreateClient();

    private SimulatedCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_SelfSubjectAccessReview_answers_for_the_caller_with_RBAC_s_reason()
    {
        await CreateNamespacesAsync("rev-mine", "rev-other");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("quinn-edit", "ClusterRole", "edit", User("quinn")), "rev-mine");
        using var quinn = ClientFor(Cluster, Cluster.AddUser("quinn"));

        var mine = await quinn.CanIAsync("create", "deployments", "rev-mine", "apps");
        var other = await quinn.CanIAsync("create", "deployments", "rev-other", "apps");
        var clusterWide = await quinn.CanIAsync("list", "pods");

        Assert.True(mine.Allowed);
        Assert.Equal("RBAC: allowed by RoleBinding \"quinn-edit/rev-mine\" of ClusterRole \"edit\" to User \"quinn\"", mine.Reason);
        Assert.Equal((false, null, null), (other.Allowed, other.Denied, other.Reason));
        Assert.False(clusterWide.Allowed);
    }

    [Fact]
    public async Task A_SubjectAccessReview_asks_about_exactly_the_user_and_groups_it_names()
    {
        var authenticated = await ReviewAsync("rae", ["system:authenticated"], path: "/version");
        var groupless = await ReviewAsync("rae", [], path: "/version");
        var master = await ReviewAsync("root", ["system:masters"], verb: "delete", resource: "nodes");
        var viewer = await ReviewAsync("viewer", [], verb: "watch", resource: "secrets", ns: "kube-system");
        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() => _admin.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec { NonResourceAttributes = new V1NonResourceAttributes { Path = "/version", Verb = "get" } },
        }));

        Assert.Equal((true, "RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\""),
            (authenticated.Allowed, authenticated.Reason));
        Assert.False(groupless.Allowed);
        Assert.Equal((true, null), (master.Allowed, master.Reason));
        Assert.Equal("RBAC: allowed by ClusterRoleBinding \"simulator:viewer\" of ClusterRole \"simulator:viewer\" to User \"viewer\"", viewer.Reason);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Response.StatusCode);
        Assert.Equal("SubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.user: Invalid value: \"\": at least one of user or group must be specified",
            JsonNode.Parse(invalid.Response.Content)!["message"]!.ToString());
    }

    [Fact]
    public async Task Asking_about_others_takes_a_grant_and_a_namespace_admin_may_ask_about_its_namespace()
    {
        await CreateNamespacesAsync("rev-admin");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("sam-admin", "ClusterRole", "admin", User("sam")), "rev-admin");
        using var sam = ClientFor(Cluster, Cluster.AddUser("sam"));
        var about = new V1SubjectAccessReviewSpec
        {
            User = "sam",
            ResourceAttributes = new V1ResourceAttributes { Verb = "create", Group = "rbac.authorization.k8s.io", Resource = "rolebindings", NamespaceProperty = "rev-admin" },
        };

        var cluster = await ForbiddenAsync(() => sam.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview { Spec = about }));
        var local = await sam.AuthorizationV1.CreateNamespacedLocalSubjectAccessReviewAsync(
            new V1LocalSubjectAccessReview { Metadata = new V1ObjectMeta { NamespaceProperty = "rev-admin" }, Spec = about }, "rev-admin");
        var elsewhere = await Assert.ThrowsAsync<HttpOperationException>(() => _admin.AuthorizationV1.CreateNamespacedLocalSubjectAccessReviewAsync(
            new V1LocalSubjectAccessReview { Spec = about }, "default"));

        Assert.Equal("subjectaccessreviews.authorization.k8s.io is forbidden: User \"sam\" cannot create resource \"subjectaccessreviews\" in API group \"authorization.k8s.io\" at the cluster scope", cluster);
        Assert.Equal((true, "RBAC: allowed by RoleBinding \"sam-admin/rev-admin\" of ClusterRole \"admin\" to User \"sam\""), (local.Status.Allowed, local.Status.Reason));
        Assert.Equal("LocalSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes.namespace: Invalid value: \"rev-admin\": must match metadata.namespace",
            JsonNode.Parse(elsewhere.Response.Content)!["message"]!.ToString());
    }

    [Fact]
    public async Task A_SelfSubjectRulesReview_lists_the_caller_s_rules_in_a_namespace()
    {
        await CreateNamespacesAsync("rev-rules");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("pod-reader", Rule(["get", "list"], ["pods", "pods/log"], names: ["web"])), "rev-rules");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("tam-reads", "Role", "pod-reader", User("tam")), "rev-rules");
        using var tam = ClientFor(Cluster, Cluster.AddUser("tam"));

        var rules = (await tam.AuthorizationV1.CreateSelfSubjectRulesReviewAsync(new V1SelfSubjectRulesReview { Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = "rev-rules" } })).Status;
        var elsewhere = (await tam.AuthorizationV1.CreateSelfSubjectRulesReviewAsync(new V1SelfSubjectRulesReview { Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = "default" } })).Status;
        var noNamespace = await Assert.ThrowsAsync<HttpOperationException>(() => tam.AuthorizationV1.CreateSelfSubjectRulesReviewAsync(new V1SelfSubjectRulesReview { Spec = new V1SelfSubjectRulesReviewSpec() }));

        Assert.False(rules.Incomplete);
        Assert.Contains(rules.ResourceRules, r => r.Verbs.SequenceEqual(["get", "list"]) && r.Resources.SequenceEqual(["pods", "pods/log"]) && r.ResourceNames.SequenceEqual(["web"]));
        Assert.Contains(rules.ResourceRules, r => r.Resources.SequenceEqual(["selfsubjectaccessreviews", "selfsubjectrulesreviews"]));
        Assert.Contains(rules.NonResourceRules, r => r.NonResourceURLs.Contains("/version") && r.Verbs.SequenceEqual(["get"]));
        Assert.DoesNotContain(elsewhere.ResourceRules, r => r.Resources.Contains("pods"));
        Assert.Equal(HttpStatusCode.BadRequest, noNamespace.Response.StatusCode);
        Assert.Contains("no namespace on request", noNamespace.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SelfSubjectReview_says_who_the_caller_is()
    {
        var admin = (await _admin.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview())).Status.UserInfo;
        using var uma = ClientFor(Cluster, Cluster.AddUser("uma", ["team-a", "devs"], uid: "uid-uma"));
        var user = (await uma.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview())).Status.UserInfo;

        Assert.Equal("kubernetes-admin", admin.Username);
        Assert.Equal(["system:masters", "system:authenticated"], admin.Groups);
        Assert.Equal(("uma", "uid-uma"), (user.Username, user.Uid));
        Assert.Equal(["team-a", "devs", "system:authenticated"], user.Groups);
    }

    [Fact]
    public async Task Discovery_lists_the_reviews_with_create_as_their_only_verb()
    {
        var authorization = await _admin.AuthorizationV1.GetAPIResourcesAsync();
        var authentication = await _admin.AuthenticationV1.GetAPIResourcesAsync();

        Assert.Equal(["localsubjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews"], authorization.Resources.Select(r => r.Name));
        Assert.All(authorization.Resources, r => Assert.Equal(["create"], r.Verbs));
        Assert.Equal([true, false, false, false], authorization.Resources.Select(r => r.Namespaced));
        Assert.Equal(["selfsubjectreviews"], authentication.Resources.Select(r => r.Name));
    }

    private async Task<V1SubjectAccessReviewStatus> ReviewAsync(string user, string[] groups, string? path = null, string verb = "get", string resource = "", string ns = "")
    {
        var spec = new V1SubjectAccessReviewSpec { User = user, Groups = groups };
        if (path is not null)
        {
            spec.NonResourceAttributes = new V1NonResourceAttributes { Path = path, Verb = verb };
        }
        else
        {
            spec.ResourceAttributes = new V1ResourceAttributes { Verb = verb, Resource = resource, NamespaceProperty = ns };
        }
        return (await _admin.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview { Spec = spec })).Status;
    }

    private async Task CreateNamespacesAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await _admin.CoreV1.CreateNamespaceAsync(Manifests.Namespace(name));
        }
    }
}
