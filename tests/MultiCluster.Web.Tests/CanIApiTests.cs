using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core.Access;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Web.Tests;

/// <summary>
/// "Can this person" through the API: each simulated cluster answers a SubjectAccessReview for the person's impersonated
/// identity, and the answers agree with <c>kubectl auth can-i --as … --as-group …</c> on the same cluster. A cluster whose
/// credentials may not review, and one that is down, answer in words without failing the others.
/// </summary>
public sealed class CanIApiTests : IAsyncLifetime
{
    private const string RbacGroup = "rbac.authorization.k8s.io";
    private static readonly string[] AnaGroups = ["multicluster:team:payments", "system:authenticated"];

    private SimulatorHost _simulator = default!;
    private TestDashboard _dashboard = default!;
    private string _kubeconfig = default!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters = [new ClusterOptions { Name = "can-a", Nodes = 1 }, new ClusterOptions { Name = "can-b", Nodes = 1 }, new ClusterOptions { Name = "can-down", Nodes = 1 }],
        });
        _kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("mc-cani-").FullName, "kubeconfig");
        _simulator.WriteKubeconfig(_kubeconfig);
        using var cluster = new k8s.Kubernetes(_simulator["can-a"].CreateClientConfiguration());
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            await cluster.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }
        await cluster.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "log-reader" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods/log"], Verbs = ["get"] }],
        });
        await Bind(cluster, "team-a", "payments-view", "view", "Group", "multicluster:team:payments");
        await Bind(cluster, "team-b", "ana-logs", "log-reader", "User", "multicluster:user:ana");

        _dashboard = new TestDashboard();
        await _dashboard.RegisterAsync(_simulator["can-a"]);
        await _dashboard.RegisterAsync(_simulator["can-down"]);
        // can-b's credentials may read everything but create nothing, SubjectAccessReviews included.
        var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, "alice"), new(System.Security.Claims.ClaimTypes.Role, DashboardRoles.Administrator)], "test"));
        var viewerOnly = _simulator["can-b"];
        var outcome = await _dashboard.Services.GetRequiredService<Clusters.ClusterRegistry>().RegisterAsync(admin,
            [new Clusters.ClusterRegistration("can-b", null, viewerOnly.BaseUrl,
                new Core.ClusterCredentials { Token = viewerOnly.ViewerToken, CertificateAuthorityPem = viewerOnly.CertificateAuthorityPem }, new Dictionary<string, string>())]);
        Assert.True(outcome.Succeeded, outcome.Results[0].Problem);
        await _simulator["can-down"].Faults.TakeOfflineAsync();
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    public static TheoryData<string, string, string?> Questions => new()
    {
        { "get", "pods", "team-a" },
        { "delete", "pods", "team-a" },
        { "get", "pods/log", "team-b" },
        { "get", "pods", "team-b" },
        { "list", "deployments.apps", "team-a" },
        { "list", "nodes", null },
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task The_clusters_answer_agrees_with_kubectl_auth_can_i_as_the_person(string verb, string resource, string? ns)
    {
        using var viewer = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("vic", DashboardRoles.Viewer));
        await CreatePaymentsAsync();

        var answer = await AskAsync(viewer, new { user = "ana", verb, resource, @namespace = ns, clusters = new[] { "can-a" } });

        Assert.Equal("multicluster:user:ana", answer.GetProperty("kubernetesUser").GetString());
        Assert.Equal(AnaGroups, answer.GetProperty("kubernetesGroups").EnumerateArray().Select(g => g.GetString()));
        var row = Assert.Single(answer.GetProperty("clusters").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("problem").ValueKind);
        var kubectl = await CanIAsync(verb, resource, ns);
        Assert.True(kubectl == row.GetProperty("allowed").GetBoolean(),
            $"the dashboard says {row.GetProperty("allowed")} for ana to {verb} {resource} in {ns}; kubectl auth can-i says {(kubectl ? "yes" : "no")}");
    }

    [Fact]
    public async Task Every_cluster_the_reader_sees_is_asked_and_one_that_may_not_review_or_is_down_says_why_without_failing_the_others()
    {
        using var viewer = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("vic", DashboardRoles.Viewer));
        await CreatePaymentsAsync();
        var store = _dashboard.Services.GetRequiredService<FleetStateStore>();
        await Eventually.WaitForAsync(() => Task.FromResult(new[] { "can-a", "can-b", "can-down" }.All(store.ClusterNames.Contains)), "the three clusters in the store");

        var answer = await AskAsync(viewer, new { user = "ana", verb = "get", resource = "pods", @namespace = "team-a" });

        var rows = answer.GetProperty("clusters").EnumerateArray().ToDictionary(r => r.GetProperty("cluster").GetString()!);
        Assert.Equal(["can-a", "can-b", "can-down"], rows.Keys);
        Assert.True(rows["can-a"].GetProperty("allowed").GetBoolean());
        Assert.Contains("payments-view", rows["can-a"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Forbidden: the dashboard's credentials on can-b may not create SubjectAccessReviews", rows["can-b"].GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Unreachable: ", rows["can-down"].GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.All(rows.Values.Skip(1), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("allowed").ValueKind));
        Assert.Equal("Yes on 1 of 1 cluster asked. 2 could not be asked.", answer.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Only_readers_of_access_may_ask_and_an_incomplete_question_is_refused_in_words()
    {
        using var nobody = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("zed", role: null));
        using var refused = await nobody.PostAsJsonAsync("/api/v1/access-reviews/can-i", new { user = "ana", verb = "get", resource = "pods" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var viewer = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("vic", DashboardRoles.Viewer));
        using var incomplete = await viewer.PostAsJsonAsync("/api/v1/access-reviews/can-i", new { user = "", verb = "get", resource = "pods" });
        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        Assert.Contains("Name the person to ask about.", await incomplete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task CreatePaymentsAsync()
    {
        using var admin = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("root", DashboardRoles.Administrator));
        using var created = await admin.PutAsJsonAsync("/api/v1/teams/payments", new { name = "payments", members = new[] { new { kind = "User", name = "ana" } } });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
    }

    private static async Task<JsonElement> AskAsync(HttpClient client, object question)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/access-reviews/can-i", question);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task<bool> CanIAsync(string verb, string resource, string? ns) =>
        MultiCluster.Tests.KubectlCanI.AskAsync(_kubeconfig, "can-a", AccessQuestion.Parse(verb, resource, ns), "multicluster:user:ana", AnaGroups);

    private static Task<V1RoleBinding> Bind(k8s.Kubernetes client, string ns, string name, string role, string subjectKind, string subject) =>
        client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = "ClusterRole", Name = role },
            Subjects = [new Rbacv1Subject { ApiGroup = RbacGroup, Kind = subjectKind, Name = subject }],
        }, ns);
}
