using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Access;
using MultiCluster.Web.Fleet;

namespace MultiCluster.Web.Tests;

/// <summary>
/// Pod detail and logs are read as the person when their access comes from a team, so the cluster's RBAC decides: team
/// payments holds <c>view</c> in team-a of prod-eu; its member ana reads there, is refused in team-b in words that name her
/// access, and the cluster saw her (not the dashboard) ask. A person with a fleet-wide role reads as the dashboard.
/// </summary>
public sealed class ImpersonatedPodReadTests : IAsyncLifetime
{
    private const string Refusal = "Your access to prod-eu (team payments: view in team-a) does not allow";
    private SimulatorHost _simulator = default!;
    private TestDashboard _dashboard = default!;
    private k8s.Kubernetes _cluster = default!;

    private SimulatedCluster Cluster => _simulator["prod-eu"];

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "prod-eu", Nodes = 1, Pods = 0, Namespaces = ["team-a", "team-b"] }] });
        _cluster = new k8s.Kubernetes(Cluster.CreateClientConfiguration());
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            await _cluster.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "api" },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            }, ns);
        }
        _dashboard = new TestDashboard();
        await _dashboard.RegisterAsync(Cluster);
        await WaitForAsync(async () => await Task.WhenAll(new[] { "team-a", "team-b" }.Select(ns => _cluster.CoreV1.ReadNamespacedPodAsync("api", ns)))
            is var pods && pods.All(p => p.Status?.Phase == "Running"), "both pods running");
    }

    public async Task DisposeAsync()
    {
        _cluster.Dispose();
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task A_team_member_reads_logs_and_the_pod_where_the_grant_reaches_and_gets_the_sentence_elsewhere_and_the_cluster_saw_her_ask()
    {
        await GrantPaymentsViewInTeamAAsync();
        using var ana = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("ana", role: null));
        var logs = _dashboard.Services.GetRequiredService<PodLogs>();
        var person = new ClaimsPrincipal(new ClaimsIdentity([new(ClaimTypes.Name, "ana")], "test"));
        Cluster.Requests.Clear();

        using var allowed = await ana.GetAsync("/clusters/prod-eu/pods/team-a/api/logs");
        using var refused = await ana.GetAsync("/clusters/prod-eu/pods/team-b/api/logs");
        var (pod, _) = await logs.ReadPodAsync(person, "prod-eu", "team-a", "api");
        var (none, problem) = await logs.ReadPodAsync(person, "prod-eu", "team-b", "api");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var detail = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.StartsWith($"{Refusal} reading logs in team-b. The cluster said: pods \"api\" is forbidden: User \"multicluster:user:ana\" cannot get resource \"pods/log\"", detail, StringComparison.Ordinal);
        Assert.Equal("api", pod?.Metadata.Name);
        Assert.Null(none);
        Assert.Equal(403, problem?.StatusCode);
        Assert.StartsWith($"{Refusal} reading pod api in team-b.", problem?.Message, StringComparison.Ordinal);
        var asked = Cluster.Requests.Recent.Where(r => r.Path.Contains("/namespaces/team-", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, asked.Count);
        Assert.All(asked, r => Assert.Equal(("multicluster:user:ana", "multicluster:team:payments|system:authenticated", "kubernetes-admin"), (r.User, string.Join('|', r.Groups), r.ImpersonatedBy)));
    }

    [Fact]
    public async Task A_person_with_a_fleet_wide_role_reads_as_themselves_with_the_roles_group_which_the_engine_binds_in_every_cluster()
    {
        await _dashboard.WaitForFleetRolesAsync("prod-eu");
        var binding = await _cluster.RbacAuthorizationV1.ReadClusterRoleBindingAsync("mc-fleet-operator");
        Assert.Equal(("view", "multicluster:fleet:operator"), (binding.RoleRef.Name, binding.Subjects.Single().Name));
        using var oncall = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("oncall", DashboardRoles.Operator));
        Cluster.Requests.Clear();

        using var response = await oncall.GetAsync("/clusters/prod-eu/pods/team-b/api/logs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var asked = Assert.Single(Cluster.Requests.Recent, r => r.Path.Contains("/namespaces/team-b/pods/api/log", StringComparison.Ordinal));
        Assert.Equal(("multicluster:user:oncall", "kubernetes-admin"), (asked.User, asked.ImpersonatedBy));
        Assert.Equal(["multicluster:fleet:operator", "system:authenticated"], asked.Groups);

        // Taken out of the cluster behind the dashboard's back, the binding is written again.
        await _cluster.RbacAuthorizationV1.DeleteClusterRoleBindingAsync("mc-fleet-operator");
        await WaitForAsync(async () => (await _cluster.RbacAuthorizationV1.ListClusterRoleBindingAsync()).Items.Any(b => b.Metadata.Name == "mc-fleet-operator"),
            "mc-fleet-operator written again");
    }

    /// <summary>Team payments (ana, Operator on its clusters) with a view grant on team-a of prod-eu, reconciled into the cluster, and seen by the dashboard.</summary>
    private async Task GrantPaymentsViewInTeamAAsync()
    {
        using var admin = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("root", DashboardRoles.Administrator));
        using var team = await admin.PutAsJsonAsync("/api/v1/teams/payments", new
        {
            name = "payments", dashboardRole = "Operator", members = new[] { new { kind = "User", name = "ana" } },
            ceiling = new { clusters = new[] { "prod-eu" }, namespacePatterns = new[] { "team-*" }, roles = new[] { "view" } },
        });
        Assert.Equal(HttpStatusCode.OK, team.StatusCode);
        using var grant = await admin.PutAsJsonAsync("/api/v1/grants/payments-view",
            new { name = "payments-view", team = "payments", role = "view", clusters = new[] { "prod-eu" }, namespacePatterns = new[] { "team-a" } });
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        await WaitForAsync(async () => (await _cluster.RbacAuthorizationV1.ListNamespacedRoleBindingAsync("team-a")).Items.Any(b => b.Metadata.Name == "mc-payments-view"), "the binding in team-a");
        var visibility = _dashboard.Services.GetRequiredService<ClusterVisibility>();
        var ana = new ClaimsPrincipal(new ClaimsIdentity([new(ClaimTypes.Name, "ana")], "test"));
        await WaitForAsync(() => Task.FromResult(visibility.For(ana).CanSee("prod-eu")), "prod-eu visible to ana through her team");
    }

    private static Task WaitForAsync(Func<Task<bool>> condition, string what) => Eventually.WaitForAsync(condition, what, seconds: 30);
}
