using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Web.Tests;

/// <summary><c>/api/v1/quota-policies</c> with the engine writing to a simulated cluster: what a tool sees, and what lands in the cluster.</summary>
public sealed class QuotaPolicyApiTests : IAsyncLifetime
{
    private const string TeamDefaults = """
        {"description":"team defaults","namespacePatterns":["team-*"],
         "hard":{"requests.cpu":"20","pods":"100"},
         "limits":[{"type":"Container","default":{"cpu":"1"},"defaultRequest":{"cpu":"100m"}}]}
        """;

    private SimulatorHost _simulator = default!;
    private TestDashboard _dashboard = default!;
    private k8s.Kubernetes _cluster = default!;
    private HttpClient _admin = default!;
    private HttpClient _viewer = default!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "quotas", Nodes = 1, Pods = 0 }] });
        _cluster = new k8s.Kubernetes(_simulator["quotas"].CreateClientConfiguration());
        await _cluster.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        _dashboard = new TestDashboard();
        await _dashboard.RegisterAsync(_simulator["quotas"]);
        _admin = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("platform", DashboardRoles.Administrator));
        _viewer = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("watcher", DashboardRoles.Viewer));
        await Eventually.WaitForAsync(async () => (await Namespaces()).Contains("team-a"), "the dashboard to see team-a");
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _viewer.Dispose();
        _cluster.Dispose();
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task An_Administrator_creates_a_policy_and_its_objects_reach_the_cluster_in_sync_and_audited()
    {
        using var preview = await _admin.PostAsync("/api/v1/quota-policies/team-defaults/preview", Json(TeamDefaults));
        var before = await preview.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 2, 0), (before.GetProperty("namespaces").GetInt32(), before.GetProperty("create").GetInt32(), before.GetProperty("overlaps").GetArrayLength()));

        using var created = await _admin.PutAsync("/api/v1/quota-policies/team-defaults", Json(TeamDefaults));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await Eventually.WaitForAsync(async () => await TargetStatus("team-a") == "InSync", "team-a to be InSync");
        var quota = await _cluster.CoreV1.ReadNamespacedResourceQuotaAsync("mc-team-defaults", "team-a");
        Assert.Equal("20", quota.Spec.Hard["requests.cpu"].ToString());
        using var list = await _viewer.GetAsync("/api/v1/quota-policies");
        var row = (await list.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single();
        Assert.Equal(("team-defaults", 1, 1), (row.GetProperty("name").GetString(), row.GetProperty("targets").GetInt32(), row.GetProperty("statuses").GetProperty("InSync").GetInt32()));

        var audit = Services.GetRequiredService<AuditLog>();
        await Eventually.WaitForAsync(async () => (await audit.SearchAsync(new AuditQuery { Action = "quota-policy.reconcile" })).Entries.Count > 0, "the engine's summary in the audit log");
        var entry = (await audit.SearchAsync(new AuditQuery { Action = "quota-policy.reconcile" })).Entries.Single();
        Assert.Equal(("system:reconciler", "quota-policy/team-defaults", "cluster quotas: 2 created"), (entry.Actor, entry.Target, entry.Detail));
        Assert.Single((await audit.SearchAsync(new AuditQuery { Action = "quota-policy.create" })).Entries, e => e.Actor == "platform");
    }

    [Fact]
    public async Task A_Viewer_reads_but_may_not_change_and_an_invalid_policy_is_refused_in_kube_apiservers_words()
    {
        using var refused = await _viewer.PutAsync("/api/v1/quota-policies/team-defaults", Json(TeamDefaults));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var invalid = await _admin.PutAsync("/api/v1/quota-policies/bad", Json("""{"hard":{"requests.cpu":"20x"}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("quantities must match the regular expression", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var none = await _viewer.GetAsync("/api/v1/quota-policies");
        Assert.Equal(0, (await none.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
    }

    [Fact]
    public async Task A_second_policy_of_the_same_priority_over_the_same_namespace_is_refused_with_the_overlap()
    {
        using var first = await _admin.PutAsync("/api/v1/quota-policies/team-defaults", Json(TeamDefaults));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var second = await _admin.PutAsync("/api/v1/quota-policies/all-teams", Json("""{"namespacePatterns":["team-a"],"hard":{"pods":"10"}}"""));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        var overlap = problem.GetProperty("overlaps").EnumerateArray().Single();
        Assert.Equal(("team-defaults", "quotas", "team-a"), (overlap.GetProperty("otherPolicy").GetString(), overlap.GetProperty("cluster").GetString(), overlap.GetProperty("namespace").GetString()));
        using var higher = await _admin.PutAsync("/api/v1/quota-policies/all-teams", Json("""{"priority":10,"namespacePatterns":["team-a"],"hard":{"pods":"10"}}"""));
        Assert.Equal(HttpStatusCode.Created, higher.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_policy_takes_its_objects_out_of_the_cluster()
    {
        using var created = await _admin.PutAsync("/api/v1/quota-policies/team-defaults", Json(TeamDefaults));
        await Eventually.WaitForAsync(async () => await TargetStatus("team-a") == "InSync", "team-a to be InSync");

        using var deleted = await _admin.DeleteAsync("/api/v1/quota-policies/team-defaults");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Eventually.WaitForAsync(async () => (await _cluster.CoreV1.ListNamespacedResourceQuotaAsync("team-a")).Items.Count == 0
            && (await _cluster.CoreV1.ListNamespacedLimitRangeAsync("team-a")).Items.Count == 0, "our objects to leave team-a");
        using var gone = await _admin.GetAsync("/api/v1/quota-policies/team-defaults");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private IServiceProvider Services => _dashboard.Services;

    private async Task<string?> TargetStatus(string ns)
    {
        using var response = await _viewer.GetAsync($"/api/v1/quota-policies/team-defaults/targets?namespace={ns}");
        return response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } row
            ? row.GetProperty("status").GetString()
            : null;
    }

    private async Task<IReadOnlyList<string>> Namespaces()
    {
        var store = Services.GetRequiredService<MultiCluster.Kubernetes.Fleet.FleetStateStore>();
        await Task.CompletedTask;
        return [.. store.All<MultiCluster.Core.Fleet.NamespaceSummary>(MultiCluster.Core.Fleet.FleetKind.Namespace, "quotas").Select(n => n.Name)];
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
