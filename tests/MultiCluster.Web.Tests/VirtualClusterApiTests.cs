using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Tests;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.Tests;

/// <summary>
/// The vCluster lifecycle through <c>/api/v1/virtual-clusters</c> against a simulated host whose vClusters are nested
/// simulated clusters: create → registered and Synced → kubectl inside lands pods on the host under the syncer's names →
/// pause as the CLI → Paused, not Unreachable, no triage row → resume → Synced → delete → gone and unregistered.
/// </summary>
public sealed class VirtualClusterApiTests : IAsyncLifetime
{
    private SimulatorHost _simulator = default!;
    private TestDashboard _dashboard = default!;
    private k8s.Kubernetes _host = default!;
    private HttpClient _admin = default!;
    private string _directory = default!;

    private FleetStateStore Store => _dashboard.Services.GetRequiredService<FleetStateStore>();

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "prod", Nodes = 3, Pods = 0 }] });
        _host = new k8s.Kubernetes(_simulator["prod"].CreateClientConfiguration());
        _dashboard = new TestDashboard();
        await _dashboard.RegisterAsync(_simulator["prod"]);
        _admin = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("ops", DashboardRoles.Administrator));
        await _dashboard.WaitForFleetRolesAsync("prod");
        _directory = Directory.CreateTempSubdirectory("mc-vcluster-").FullName;
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _host.Dispose();
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_vcluster_created_through_the_api_is_registered_runs_pods_on_its_host_pauses_resumes_and_goes()
    {
        using var created = await _admin.PostAsJsonAsync("/api/v1/virtual-clusters", new { host = "prod", name = "tenant-a", labels = new Dictionary<string, string> { ["env"] = "dev" } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("tenant-a", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("registeredAs").GetString());
        var registered = (await _dashboard.Services.GetRequiredService<ClusterRegistry>().FindAsync("tenant-a"))!;
        Assert.Equal(("true", "prod", "vcluster-tenant-a", "dev"),
            (registered.Labels[VirtualClusterLabels.VirtualCluster], registered.Labels[VirtualClusterLabels.HostCluster], registered.Labels[VirtualClusterLabels.HostNamespace], registered.Labels["env"]));
        await WaitForHealthAsync("tenant-a", ClusterHealth.Synced);

        // Its isolation is the engine's: written as the dashboard, and a tenant's edit of its own quota is taken back.
        var quota = await _host.CoreV1.ReadNamespacedResourceQuotaAsync("vc-tenant-a", "vcluster-tenant-a");
        Assert.Equal(("multicluster", "tenant-a", "20"), (quota.Metadata.Labels["app.kubernetes.io/managed-by"], quota.Metadata.Labels["multicluster.io/vcluster-isolation"], quota.Spec.Hard["count/pods"].ToString()));
        Assert.Equal("512Mi", (await _host.CoreV1.ReadNamespacedLimitRangeAsync("vc-tenant-a", "vcluster-tenant-a")).Spec.Limits[0].DefaultProperty["memory"].ToString());
        await _host.CoreV1.PatchNamespacedResourceQuotaAsync(new k8s.Models.V1Patch("{\"spec\":{\"hard\":{\"count/pods\":\"999\"}}}", k8s.Models.V1Patch.PatchType.MergePatch), "vc-tenant-a", "vcluster-tenant-a");
        await Eventually.WaitForAsync(async () => (await _host.CoreV1.ReadNamespacedResourceQuotaAsync("vc-tenant-a", "vcluster-tenant-a")).Spec.Hard["count/pods"].ToString() == "20",
            "the engine to repair the vCluster's quota");

        // Connect as the CLI would, and create a Deployment inside: its pods run on the host under the syncer's names.
        var kubeconfig = Path.Combine(_directory, "tenant-a.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, await _admin.GetStringAsync("/api/v1/virtual-clusters/prod/vcluster-tenant-a/tenant-a/kubeconfig"));
        const string context = "vcluster_tenant-a_vcluster-tenant-a_prod";
        await KubectlAsync(kubeconfig, "--context", context, "create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", "default");
        IList<k8s.Models.V1Pod> synced = [];
        await Eventually.WaitForAsync(async () => (synced = (await _host.CoreV1.ListNamespacedPodAsync("vcluster-tenant-a", labelSelector: "vcluster.loft.sh/managed-by=tenant-a")).Items).Count == 2,
            "the Deployment's two pods synced to the host");
        Assert.All(synced, p => Assert.Matches("^web-[a-z0-9]+-[a-z0-9]+-x-default-x-tenant-a$", p.Metadata.Name));
        await Eventually.WaitForAsync(() => Store.All<PodSummary>(FleetKind.Pod, "tenant-a").Count(p => p.Status == "Running") == 2, "the vCluster's own pods Running on the dashboard");

        using var paused = await _admin.PostAsync("/api/v1/virtual-clusters/prod/vcluster-tenant-a/tenant-a/pause", null);

        Assert.Equal(HttpStatusCode.NoContent, paused.StatusCode);
        var set = await _host.AppsV1.ReadNamespacedStatefulSetAsync("tenant-a", "vcluster-tenant-a");
        Assert.Equal((0, "true", "1"), (set.Spec.Replicas, set.Metadata.Annotations["loft.sh/paused"], set.Metadata.Annotations["loft.sh/paused-replicas"]));
        Assert.True(long.TryParse(set.Metadata.Annotations["loft.sh/paused-date"], out _));
        await WaitForHealthAsync("tenant-a", ClusterHealth.Paused);
        Assert.Empty(Store.All<PodSummary>(FleetKind.Pod, "tenant-a"));
        await Eventually.WaitForAsync(() => Row("tenant-a")?.GetProperty("status").GetString() == "Paused", "the list to say Paused");
        // Still Paused (not Unreachable) and no triage row once the problem rules have had their say.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(ClusterHealth.Paused, Store.Cluster("tenant-a")?.Health);
        Assert.DoesNotContain(Store.All<ProblemGroup>(FleetKind.Problem), g => g.Cluster == "tenant-a");

        using var resumed = await _admin.PostAsync("/api/v1/virtual-clusters/prod/vcluster-tenant-a/tenant-a/resume", null);

        Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
        await WaitForHealthAsync("tenant-a", ClusterHealth.Synced);
        await Eventually.WaitForAsync(() => Store.All<PodSummary>(FleetKind.Pod, "tenant-a").Count(p => p.Status == "Running") == 2, "the Deployment's pods back after resume");

        using var plan = await _admin.GetAsync("/api/v1/virtual-clusters/prod/vcluster-tenant-a/tenant-a/deletion");
        var removes = (await plan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("removes").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("StatefulSet tenant-a", removes);
        Assert.Contains(removes, r => r!.StartsWith("Namespace vcluster-tenant-a", StringComparison.Ordinal));

        using var deleted = await _admin.DeleteAsync("/api/v1/virtual-clusters/prod/vcluster-tenant-a/tenant-a");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(await _dashboard.Services.GetRequiredService<ClusterRegistry>().FindAsync("tenant-a"));
        await Eventually.WaitForAsync(async () => !(await _host.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == "vcluster-tenant-a"), "the vCluster's namespace gone");
        await Eventually.WaitForAsync(() => Store.Cluster("tenant-a") is null, "the vCluster's cluster gone from the fleet");
        var audit = await _dashboard.Services.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery { Action = "vcluster." });
        Assert.Equal(["vcluster.connect", "vcluster.create", "vcluster.delete", "vcluster.pause", "vcluster.resume"],
            audit.Entries.Where(e => e.Target == "vcluster/prod/vcluster-tenant-a/tenant-a").Select(e => e.Action).Order());
    }

    [Fact]
    public async Task A_vcluster_the_cli_made_is_listed_registered_paused_and_deleted()
    {
        var kubeconfig = Path.Combine(_directory, "sim.kubeconfig");
        _simulator.WriteKubeconfig(kubeconfig);
        await KubectlAsync(kubeconfig, "--context", "prod", "apply", "-f", await WriteAsync("chart.yaml", VirtualClusterChartManifest.Build("cli-made", "legacy")));
        await Eventually.WaitForAsync(() => Row("legacy") is { } row && row.GetProperty("status").GetString() == "Running", "the CLI's vCluster listed Running");
        Assert.Equal(JsonValueKind.Null, Row("legacy")!.Value.GetProperty("registeredAs").ValueKind);

        using var managed = await _admin.PostAsync("/api/v1/virtual-clusters/prod/cli-made/legacy/manage", null);

        Assert.Equal(HttpStatusCode.NoContent, managed.StatusCode);
        await WaitForHealthAsync("legacy", ClusterHealth.Synced);
        using var paused = await _admin.PostAsync("/api/v1/virtual-clusters/prod/cli-made/legacy/pause", null);
        Assert.Equal(HttpStatusCode.NoContent, paused.StatusCode);
        await WaitForHealthAsync("legacy", ClusterHealth.Paused);

        using var deleted = await _admin.DeleteAsync("/api/v1/virtual-clusters/prod/cli-made/legacy");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty((await _host.AppsV1.ListNamespacedStatefulSetAsync("cli-made")).Items);
        Assert.Empty((await _host.CoreV1.ListNamespacedServiceAsync("cli-made")).Items);
        // The CLI made the namespace without the dashboard's annotation: it stays.
        await _host.CoreV1.ReadNamespaceAsync("cli-made");
        Assert.Null(await _dashboard.Services.GetRequiredService<ClusterRegistry>().FindAsync("legacy"));
    }

    [Fact]
    public async Task Bad_requests_are_refused_in_words_and_leave_nothing_on_the_host()
    {
        await KubectlAsync(await SimulatorKubeconfigAsync(), "--context", "prod", "apply", "-f", await WriteAsync("taken.yaml", VirtualClusterChartManifest.Build("occupied", "taken")));
        await Eventually.WaitForAsync(() => Row("taken") is not null, "the existing vCluster listed");
        var before = await HostObjectsAsync();

        var cases = new (object Body, HttpStatusCode Status, string Words)[]
        {
            (new { host = "prod", name = "Bad_Name" }, HttpStatusCode.BadRequest, "is not a valid vCluster name"),
            (new { host = "prod", name = new string('a', 53) }, HttpStatusCode.BadRequest, "at most 52 characters"),
            (new { host = "prod", name = "taken", @namespace = "elsewhere" }, HttpStatusCode.Conflict, "A vCluster named taken already runs on prod"),
            (new { host = "prod", name = "second", @namespace = "occupied" }, HttpStatusCode.Conflict, "Namespace occupied on prod already holds vCluster taken"),
            (new { host = "prod", name = "huge", quota = new Dictionary<string, string>(VirtualClusterIsolation.DefaultQuota) { ["requests.cpu"] = "500" } }, HttpStatusCode.Conflict, "has room for"),
            (new { host = "nowhere", name = "lost" }, HttpStatusCode.NotFound, "No cluster named nowhere"),
        };
        foreach (var (body, status, words) in cases)
        {
            using var response = await _admin.PostAsJsonAsync("/api/v1/virtual-clusters", body);
            var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
            Assert.True(response.StatusCode == status && detail!.Contains(words, StringComparison.Ordinal), $"{JsonSerializer.Serialize(body)} → {(int)response.StatusCode} {detail}");
        }
        Assert.Contains("500 CPU", (await (await _admin.PostAsJsonAsync("/api/v1/virtual-clusters", cases[4].Body)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        await _simulator["prod"].Faults.TakeOfflineAsync();
        await WaitForHealthAsync("prod", ClusterHealth.Unreachable);
        using var unreachable = await _admin.PostAsJsonAsync("/api/v1/virtual-clusters", new { host = "prod", name = "later" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unreachable.StatusCode);
        Assert.Contains("prod is Unreachable", (await unreachable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await _simulator["prod"].Faults.BringOnlineAsync();

        Assert.Equal(before, await HostObjectsAsync());
    }

    [Fact]
    public async Task The_labels_that_link_a_vcluster_to_its_host_are_the_dashboards_to_set()
    {
        var registry = _dashboard.Services.GetRequiredService<ClusterRegistry>();
        var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, "ops"), new(System.Security.Claims.ClaimTypes.Role, DashboardRoles.Administrator)], "test"));
        var prod = _simulator["prod"];

        var outcome = await registry.RegisterAsync(admin, [new ClusterRegistration("fake", null, prod.BaseUrl,
            new MultiCluster.Core.ClusterCredentials { Token = prod.Token, CertificateAuthorityPem = prod.CertificateAuthorityPem },
            new Dictionary<string, string> { [VirtualClusterLabels.VirtualCluster] = "true", [VirtualClusterLabels.HostCluster] = "prod" })]);
        var edit = await registry.UpdateAsync(admin, "prod", null, new Dictionary<string, string> { [VirtualClusterLabels.HostCluster] = "prod" });

        Assert.Contains("is set by the dashboard", outcome.Results[0].Problem, StringComparison.Ordinal);
        Assert.Null(await registry.FindAsync("fake"));
        Assert.Contains("are set by the dashboard", edit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_teams_operator_makes_a_vcluster_where_the_grant_allows_sees_it_through_the_host_and_nowhere_else()
    {
        // Team tenants: Operator on prod only, cluster-admin there (what the chart's objects need); tom is a member without a fleet-wide role.
        using var team = await _admin.PutAsJsonAsync("/api/v1/teams/tenants", new
        {
            name = "tenants", dashboardRole = "Operator", members = new[] { new { kind = "User", name = "tom" } },
            ceiling = new { clusters = new[] { "prod" }, namespacePatterns = new[] { "*" }, roles = new[] { "cluster-admin" }, allowClusterWide = true },
        });
        Assert.Equal(HttpStatusCode.OK, team.StatusCode);
        using var grant = await _admin.PutAsJsonAsync("/api/v1/grants/tenants-admin",
            new { name = "tenants-admin", team = "tenants", role = "cluster-admin", clusters = new[] { "prod" }, clusterWide = true });
        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        await Eventually.WaitForAsync(async () => (await _host.RbacAuthorizationV1.ListClusterRoleBindingAsync()).Items.Any(b => b.Metadata.Name == "mc-tenants-cluster-admin"),
            "the team's ClusterRoleBinding on prod");
        using var tom = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("tom", role: null));

        using var created = await tom.PostAsJsonAsync("/api/v1/virtual-clusters", new { host = "prod", name = "tenant-t" });
        using var elsewhere = await tom.PostAsJsonAsync("/api/v1/virtual-clusters", new { host = "other", name = "tenant-u" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        // The registered vCluster is not in the team's grant, but tom sees it with his role on its host.
        using var clusters = await tom.GetAsync("/api/v1/clusters");
        var names = (await clusters.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("tenant-t", names);
        var asked = _simulator["prod"].Requests.Recent.Where(r => r.Method == "POST" && r.Path.Contains("/statefulsets", StringComparison.Ordinal)).ToList();
        Assert.All(asked, r => Assert.Equal(("multicluster:user:tom", "kubernetes-admin"), (r.User, r.ImpersonatedBy)));
        Assert.NotEmpty(asked);
    }

    [Fact]
    public async Task A_viewer_sees_the_list_but_may_not_create_or_connect()
    {
        using var viewer = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("vic", DashboardRoles.Viewer));

        using var list = await viewer.GetAsync("/api/v1/virtual-clusters");
        using var create = await viewer.PostAsJsonAsync("/api/v1/virtual-clusters", new { host = "prod", name = "mine" });
        using var connect = await viewer.GetAsync("/api/v1/virtual-clusters/prod/vcluster-x/x/kubeconfig");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, connect.StatusCode);
        Assert.DoesNotContain((await _host.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "vcluster-mine");
    }

    private JsonElement? Row(string name)
    {
        using var response = _admin.GetAsync("/api/v1/virtual-clusters").GetAwaiter().GetResult();
        return response.Content.ReadFromJsonAsync<JsonElement>().GetAwaiter().GetResult().EnumerateArray().Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("name").GetString() == name);
    }

    private Task WaitForHealthAsync(string cluster, ClusterHealth health) =>
        Eventually.WaitForAsync(() => Store.Cluster(cluster)?.Health == health, $"{cluster} {health}", 30, () => $"It is {Store.Cluster(cluster)?.Health}: {Store.Cluster(cluster)?.Problem}");

    private async Task<string> HostObjectsAsync()
    {
        var namespaces = (await _host.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name);
        var sets = (await _host.AppsV1.ListStatefulSetForAllNamespacesAsync()).Items.Select(s => $"{s.Metadata.NamespaceProperty}/{s.Metadata.Name}");
        var services = (await _host.CoreV1.ListServiceForAllNamespacesAsync()).Items.Select(s => $"{s.Metadata.NamespaceProperty}/{s.Metadata.Name}");
        return string.Join(",", namespaces.Concat(sets).Concat(services).Order(StringComparer.Ordinal));
    }

    private async Task<string> SimulatorKubeconfigAsync()
    {
        var path = Path.Combine(_directory, "sim.kubeconfig");
        await File.WriteAllTextAsync(path, _simulator.BuildKubeconfigYaml());
        return path;
    }

    private async Task<string> WriteAsync(string file, string text)
    {
        var path = Path.Combine(_directory, file);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private static async Task KubectlAsync(string kubeconfig, params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--kubeconfig", kubeconfig, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', arguments)}: {output}{error}");
    }
}
