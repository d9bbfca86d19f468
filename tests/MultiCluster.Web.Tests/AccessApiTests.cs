using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Web.Tests;

/// <summary>Teams and grants through the API: an Administrator sets a team's ceiling, its admin grants within it, and the binding reaches the cluster.</summary>
public sealed class AccessApiTests : IAsyncLifetime
{
    private SimulatorHost _simulator = default!;
    private TestDashboard _dashboard = default!;
    private k8s.Kubernetes _cluster = default!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "access", Nodes = 1, Pods = 0 }] });
        _cluster = new k8s.Kubernetes(_simulator["access"].CreateClientConfiguration());
        await _cluster.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        _dashboard = new TestDashboard();
        await _dashboard.RegisterAsync(_simulator["access"]);
    }

    public async Task DisposeAsync()
    {
        _cluster.Dispose();
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task A_team_admin_grants_within_the_ceiling_the_binding_reaches_the_cluster_and_anything_beyond_is_refused_in_words()
    {
        using var admin = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("root", DashboardRoles.Administrator));
        using var ana = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("ana", role: null));
        using var carl = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("carl", role: null));
        var team = new
        {
            name = "payments",
            members = new object[] { new { kind = "User", name = "ana", isAdmin = true }, new { kind = "User", name = "carl" } },
            ceiling = new { clusters = new[] { "access" }, namespacePatterns = new[] { "team-*" }, roles = new[] { "view" } },
        };
        using var created = await admin.PutAsJsonAsync("/api/v1/teams/payments", team);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        var grant = new { name = "payments-view", team = "payments", role = "view", clusters = new[] { "access" }, namespacePatterns = new[] { "team-*" } };
        using var granted = await ana.PutAsJsonAsync("/api/v1/grants/payments-view", grant);
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        await Eventually.WaitForAsync(async () => (await _cluster.RbacAuthorizationV1.ListNamespacedRoleBindingAsync("team-a")).Items.Any(b => b.Metadata.Name == "mc-payments-view"),
            "the binding in team-a", state: async () => await admin.GetStringAsync("/api/v1/grants/payments-view/targets"));
        var binding = await _cluster.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("mc-payments-view", "team-a");
        Assert.Equal(("view", "Group", "multicluster:team:payments"), (binding.RoleRef.Name, binding.Subjects.Single().Kind, binding.Subjects.Single().Name));

        using var beyond = await ana.PutAsJsonAsync("/api/v1/grants/payments-edit", grant with { name = "payments-edit", role = "edit" });
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Contains("Role 'edit' is beyond the ceiling of team payments, which allows view.", await beyond.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var notAdmin = await carl.PutAsJsonAsync("/api/v1/grants/carl-view", grant with { name = "carl-view" });
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        using var raise = await ana.PutAsJsonAsync("/api/v1/teams/payments?generation=1", team with { ceiling = new { clusters = new[] { "access" }, namespacePatterns = new[] { "*" }, roles = new[] { "admin" } } });
        Assert.Equal(HttpStatusCode.Forbidden, raise.StatusCode);
        Assert.Contains("set by Administrators", await raise.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var audit = _dashboard.Services.GetRequiredService<AuditLog>();
        var refusals = await audit.SearchAsync(new AuditQuery { Action = "grant.refused", Actor = "ana" });
        Assert.Equal(("ana", "grant/payments-edit"), (Assert.Single(refusals.Entries).Actor, refusals.Entries[0].Target));
        // Every refusal of a team admin or member is kept: who tried what, and why not.
        var carlTried = Assert.Single((await audit.SearchAsync(new AuditQuery { Action = "grant.refused", Actor = "carl" })).Entries);
        Assert.Equal(("grant/carl-view", AuditOutcome.Denied), (carlTried.Target, carlTried.Outcome));
        var raised = Assert.Single((await audit.SearchAsync(new AuditQuery { Action = "team.refused", Actor = "ana" })).Entries);
        Assert.Contains("set by Administrators", raised.Detail, StringComparison.Ordinal);
        // Each refusal answers with its own status: a name taken or a generation moved is 409, what is not there 404.
        using var again = await admin.PutAsJsonAsync("/api/v1/teams/payments", team);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var stale = await admin.PutAsJsonAsync("/api/v1/teams/payments?generation=99", team);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("changed by someone else meanwhile", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var unknown = await admin.DeleteAsync("/api/v1/grants/no-such-grant");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var inUse = await admin.DeleteAsync("/api/v1/teams/payments");
        Assert.Equal(HttpStatusCode.BadRequest, inUse.StatusCode);
        Assert.Contains("still has 1 grant(s)", await inUse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A team admin without a role reads what she manages (and the generation a change names); a stranger sees nothing of it.
        var read = await ana.GetFromJsonAsync<JsonElement>("/api/v1/teams/payments");
        Assert.Equal(1, read.GetProperty("generation").GetInt64());
        Assert.Equal(["payments-view"], (await ana.GetFromJsonAsync<JsonElement>("/api/v1/grants")).EnumerateArray().Select(g => g.GetProperty("grant").GetProperty("name").GetString()));
        Assert.Equal("view", (await carl.GetFromJsonAsync<JsonElement>("/api/v1/grants/payments-view")).GetProperty("grant").GetProperty("role").GetString());
        using var strangerClient = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("zed", role: null));
        Assert.Empty((await strangerClient.GetFromJsonAsync<JsonElement>("/api/v1/teams")).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.GetAsync("/api/v1/teams/payments")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.GetAsync("/api/v1/grants/payments-view/targets")).StatusCode);

        using var viewer = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("vic", DashboardRoles.Viewer));
        var teams = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/teams");
        Assert.Equal("payments", teams.EnumerateArray().Single().GetProperty("name").GetString());
    }

    [Fact]
    public async Task Who_can_answers_from_every_binding_of_the_cluster_and_bindings_made_behind_the_dashboards_back_are_listed()
    {
        using var admin = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("root", DashboardRoles.Administrator));
        using var created = await admin.PutAsJsonAsync("/api/v1/teams/payments", new { name = "payments", members = new[] { new { kind = "Group", name = "okta-payments" } } });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        await _cluster.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "log-reader" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods/log"], Verbs = ["get"] }],
        });
        await _cluster.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "quick-fix" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "log-reader" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = "okta-payments" }],
        }, "team-a");

        await Eventually.WaitForAsync(async () => (await admin.GetFromJsonAsync<JsonElement>("/api/v1/grants/unmanaged")).GetArrayLength() == 1, "the unmanaged binding listed");
        var unmanaged = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/grants/unmanaged"))[0];
        Assert.Equal(("quick-fix", "team-a", "log-reader", "payments"),
            (unmanaged.GetProperty("name").GetString(), unmanaged.GetProperty("namespace").GetString(), unmanaged.GetProperty("role").GetString(), unmanaged.GetProperty("teams")[0].GetString()));

        using var asked = await admin.PostAsJsonAsync("/api/v1/access-reviews/who-can", new { clusters = new[] { "access" }, verb = "get", resource = "pods", subresource = "log", @namespace = "team-a" });
        var allowed = (await asked.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Select(a => $"{a.GetProperty("subject").GetProperty("kind").GetString()}:{a.GetProperty("subject").GetProperty("name").GetString()} via {a.GetProperty("binding").GetString()}").ToList();
        Assert.Contains("Group:okta-payments via quick-fix", allowed);
        using var elsewhere = await admin.PostAsJsonAsync("/api/v1/access-reviews/who-can", new { clusters = new[] { "access" }, verb = "get", resource = "pods", subresource = "log", @namespace = "team-b" });
        Assert.DoesNotContain("quick-fix", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inform_grant_writes_nothing_until_its_team_admin_asks_for_the_repair_of_a_target()
    {
        using var admin = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("root", DashboardRoles.Administrator));
        using var ana = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("ana", role: null));
        using var team = await admin.PutAsJsonAsync("/api/v1/teams/payments", new
        {
            name = "payments", members = new[] { new { kind = "User", name = "ana", isAdmin = true } },
            ceiling = new { clusters = new[] { "access" }, namespacePatterns = new[] { "team-*" }, roles = new[] { "view" } },
        });
        Assert.Equal(HttpStatusCode.OK, team.StatusCode);
        using var saved = await ana.PutAsJsonAsync("/api/v1/grants/payments-view", new { name = "payments-view", team = "payments", role = "view", mode = "Inform", clusters = new[] { "access" }, namespacePatterns = new[] { "team-*" } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        await Eventually.WaitForAsync(async () => (await admin.GetStringAsync("/api/v1/grants/payments-view/targets")).Contains("\"Pending\"", StringComparison.Ordinal), "team-a Pending");
        Assert.DoesNotContain((await _cluster.RbacAuthorizationV1.ListNamespacedRoleBindingAsync("team-a")).Items, b => b.Metadata.Name == "mc-payments-view");

        using var repaired = await ana.PostAsync("/api/v1/grants/payments-view/targets/access/repair?namespace=team-a", null);

        Assert.Equal(HttpStatusCode.Accepted, repaired.StatusCode);
        await Eventually.WaitForAsync(async () => (await _cluster.RbacAuthorizationV1.ListNamespacedRoleBindingAsync("team-a")).Items.Any(b => b.Metadata.Name == "mc-payments-view"), "the binding written once");
        using var stranger = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("zed", role: null));
        using var refused = await stranger.PostAsync("/api/v1/grants/payments-view/targets/access/repair?namespace=team-a", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
