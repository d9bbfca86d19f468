using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Kubernetes;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Simulator.Auth;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Hubs;

namespace MultiCluster.Web.Tests;

/// <summary>
/// <c>/metrics</c> scraped as Prometheus would, with a token: two simulated clusters, one registered with a token that
/// may only read (the engine's writes there are refused), a hub subscriber, a failed sign-in and a forced relist.
/// </summary>
public sealed partial class MetricsTests : IAsyncLifetime
{
    private const string ReadOnlyToken = "read-only-token-for-metrics";

    private readonly TestDashboard _dashboard = new();
    private SimulatorHost _simulator = default!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Clusters =
            [
                new ClusterOptions { Name = "metrics-a", Nodes = 1, Pods = 3 },
                new ClusterOptions { Name = "metrics-ro", Nodes = 1, Users = [new TokenUser(ReadOnlyToken, "reader")] },
            ],
        });
        using (var admin = new k8s.Kubernetes(_simulator["metrics-ro"].CreateClientConfiguration()))
        {
            await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
            {
                Metadata = new V1ObjectMeta { Name = "read-everything" },
                Rules = [new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["get", "list", "watch"] }],
            });
            await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "reader" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "read-everything" },
                Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = "reader" }],
            });
        }
        await _dashboard.RegisterAsync(_simulator["metrics-a"]);
        var readOnly = _simulator["metrics-ro"];
        var administrator = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, "alice"), new(System.Security.Claims.ClaimTypes.Role, DashboardRoles.Administrator)], "test"));
        var outcome = await _dashboard.Services.GetRequiredService<ClusterRegistry>().RegisterAsync(administrator,
            [new ClusterRegistration(readOnly.Name, null, readOnly.BaseUrl,
                new ClusterCredentials { Token = ReadOnlyToken, CertificateAuthorityPem = readOnly.CertificateAuthorityPem }, new Dictionary<string, string>())]);
        Assert.True(outcome.Succeeded, outcome.Results[0].Problem);
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task A_scrape_without_a_token_or_without_a_fleet_wide_role_is_refused()
    {
        using var anonymous = _dashboard.BrowserClient();
        using var teamOnly = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("team-only-tom", role: null));

        var refusedAnonymous = await anonymous.GetAsync("/metrics");
        var refusedTeamOnly = await teamOnly.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, refusedAnonymous.StatusCode);
        Assert.DoesNotContain("multicluster_", await refusedAnonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refusedTeamOnly.StatusCode);
    }

    [Fact]
    public async Task A_viewer_scrapes_the_fleet_informer_store_hub_engine_and_sign_in_series()
    {
        var store = _dashboard.Services.GetRequiredService<FleetStateStore>();
        await _dashboard.WaitForFleetRolesAsync("metrics-a");
        await Eventually.WaitForAsync(() => store.Cluster("metrics-ro")?.Health == ClusterHealth.Synced, "metrics-ro synced with the read-only token");
        await Eventually.WaitForAsync(() => store.All<PolicyTarget>(FleetKind.PolicyTarget, "metrics-ro").Any(t => t.Status == TargetStatus.Error),
            "the engine's writes refused in metrics-ro");
        // A watch that expires (410) is restarted by a relist.
        _simulator["metrics-a"].Faults.ExpireNextWatches();
        _simulator["metrics-a"].Faults.DropWatches();
        using var viewer = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("prometheus", DashboardRoles.Viewer));
        using var browser = _dashboard.BrowserClient();
        var failed = await TestDashboard.PostSignInAsync(browser, "nobody", "not-the-password");
        Assert.NotNull(await TestDashboard.SignInErrorAsync(failed));
        await using var hub = await SubscribedHubAsync(await _dashboard.TokenForNewUserAsync("hub-hal", DashboardRoles.Viewer));

        string scrape = "";
        await Eventually.WaitForAsync(async () =>
        {
            scrape = await ScrapeAsync(viewer);
            // The restart relists metrics-a, which is not Synced while it does: the scrape that shows the restart may
            // catch it in between, so wait for the cluster to be back as well. ASP.NET Core records a request's duration
            // once it has finished with it, after the client has its answer: the first scrape can come before any is
            // recorded (it failed so once), and the next one holds at least the first scrape's own.
            return scrape.Contains("multicluster_informer_watch_restarts_total", StringComparison.Ordinal)
                && scrape.Contains("multicluster_hub_batch_duration_seconds_count", StringComparison.Ordinal)
                && scrape.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal)
                && Samples(scrape, "multicluster_cluster_health", ("cluster", "metrics-a"), ("health", "Synced")).Sum() == 1;
        }, "a watch restart, a hub batch, a request's duration and metrics-a Synced again in the scrape", state: () => Task.FromResult(scrape));

        Assert.Equal(1, Value(scrape, "multicluster_cluster_health", ("cluster", "metrics-a"), ("health", "Synced")));
        Assert.Equal(1, Value(scrape, "multicluster_cluster_health", ("cluster", "metrics-ro"), ("health", "Synced")));
        Assert.True(Value(scrape, "multicluster_informer_relists_total", ("cluster", "metrics-a"), ("kind", "pods")) >= 1);
        Assert.True(Value(scrape, "multicluster_informer_watch_restarts_total", ("cluster", "metrics-a")) >= 1);
        Assert.True(Value(scrape, "multicluster_store_objects", ("kind", "Pod")) >= 3);
        Assert.True(Value(scrape, "multicluster_store_objects", ("kind", "Node")) >= 2);
        Assert.True(Value(scrape, "multicluster_hub_subscribers") >= 1);
        Assert.True(Value(scrape, "multicluster_hub_batch_duration_seconds_count") >= 1);
        Assert.True(Value(scrape, "multicluster_reconcile_writes_total", ("owner", "fleetrole"), ("cluster", "metrics-a")) >= 3);
        Assert.True(Value(scrape, "multicluster_reconcile_errors_total", ("owner", "fleetrole"), ("cluster", "metrics-ro"), ("refused", "true")) >= 1);
        Assert.True(Value(scrape, "multicluster_reconcile_queue_depth", ("owner", "fleetrole"), ("cluster", "metrics-ro")) >= 0);
        Assert.True(Value(scrape, "multicluster_signin_failures_total", ("reason", "password")) >= 1);
        // ASP.NET Core's and the runtime's own series come along.
        Assert.Contains("http_server_request_duration_seconds_bucket", scrape, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total", scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_api_call_to_a_cluster_is_an_activity_with_the_cluster_and_the_answer()
    {
        var calls = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KubernetesTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (calls) { calls.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var admin = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("admin-ada", DashboardRoles.Administrator));

        var tested = await admin.PostAsync("/api/v1/clusters/metrics-a/test", null);

        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        Activity[] seen;
        lock (calls)
        {
            seen = [.. calls];
        }
        // The connection test's GET /version (its client has no cluster name: it also tests servers not registered yet;
        // the watch's own version checks carry it).
        var version = Assert.Single(seen, a => (a.GetTagItem("url.path") as string)?.TrimEnd('/') == "/clusters/metrics-a/version" && a.GetTagItem("multicluster.cluster") is null);
        Assert.Equal("kubernetes GET", version.DisplayName);
        Assert.Equal(ActivityKind.Client, version.Kind);
        Assert.Equal(200, version.GetTagItem("http.response.status_code"));
        Assert.Equal("127.0.0.1", version.GetTagItem("server.address"));
        // The informers' watches are traced too, with the cluster's name: dropped, they are started again.
        _simulator["metrics-a"].Faults.DropWatches();
        await Eventually.WaitForAsync(() => { lock (calls) { return calls.Any(a => (string?)a.GetTagItem("multicluster.cluster") == "metrics-a" && Equals(a.GetTagItem("multicluster.watch"), true)); } },
            "a traced watch of metrics-a", seconds: 20);
    }

    private async Task<HubConnection> SubscribedHubAsync(string token)
    {
        var connection = _dashboard.FleetHubConnection(token);
        await connection.StartAsync();
        var snapshot = new TaskCompletionSource();
        _ = Task.Run(async () =>
        {
            await foreach (var message in connection.StreamAsync<FleetBatchMessage>("Subscribe", new FleetSubscriptionRequest(["pods"])))
            {
                snapshot.TrySetResult();
            }
        });
        await snapshot.Task.WaitAsync(TimeSpan.FromSeconds(20));
        // A change after the snapshot: a batch the hub sends.
        using var client = new k8s.Kubernetes(_simulator["metrics-a"].CreateClientConfiguration());
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "metrics-batch" } });
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "one-more" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        }, "metrics-batch");
        return connection;
    }

    private async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include <paramref name="labels"/>; fails when there is none.</summary>
    private static double Value(string scrape, string name, params (string Label, string Value)[] labels)
    {
        var samples = Samples(scrape, name, labels);
        Assert.True(samples.Count > 0, $"No sample of {name} with {string.Join(", ", labels.Select(l => $"{l.Label}={l.Value}"))} in:\n{scrape}");
        return samples.Sum();
    }

    private static List<double> Samples(string scrape, string name, params (string Label, string Value)[] labels) =>
        Sample().Matches(scrape)
            .Where(m => m.Groups["name"].Value == name && labels.All(l => m.Groups["labels"].Value.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            .Select(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
