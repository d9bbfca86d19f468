using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using MultiCluster.Data;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Tests;
using MultiCluster.Web.Hubs;

namespace MultiCluster.Web.Tests;

/// <summary>
/// The registry's PostgreSQL server stopped under a running dashboard, then started again: what a user and their
/// automation notice. The server is this test's own (<see cref="PrivatePostgres"/>), not the shared one.
/// </summary>
public sealed class RegistryOutageTests : IAsyncLifetime
{
    /// <summary>The probe notices within 5 s; a loaded machine gets the rest.</summary>
    private const int NoticeSeconds = 30;

    private PrivatePostgres _postgres = default!;
    private SimulatorHost _simulator = default!;
    private TestDashboard _dashboard = default!;

    public async Task InitializeAsync()
    {
        _postgres = await PrivatePostgres.StartAsync();
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "delta", Nodes = 1, Pods = 3 }] });
        _dashboard = new TestDashboard(("Database:Provider", "Postgres"), ("ConnectionStrings:Registry", _postgres.ConnectionString));
        await _dashboard.RegisterAsync(_simulator["delta"], new Dictionary<string, string> { ["env"] = "prod" });
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task While_PostgreSQL_is_stopped_live_state_still_reads_changes_answer_503_and_nothing_is_lost()
    {
        using var admin = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("ada", DashboardRoles.Administrator));
        var pagerToken = await _dashboard.TokenForNewUserAsync("pat", DashboardRoles.Operator);
        using var pager = _dashboard.ApiClient(pagerToken);
        using var late = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("lars", DashboardRoles.Viewer));
        await _dashboard.CreateUserAsync("vera", DashboardRoles.Operator);
        using var vera = await _dashboard.SignedInBrowserAsync("vera");

        // Before: a change the outage must not lose, and reads that confirm two of the tokens.
        using (var before = await admin.PatchAsJsonAsync("/api/v1/clusters/delta", new { labels = new Dictionary<string, string> { ["env"] = "prod", ["tier"] = "gold" } }))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await pager.GetAsync("/api/v1/problems")).StatusCode);
        Assert.DoesNotContain("registry-banner", await vera.GetStringAsync("/"), StringComparison.Ordinal);

        await _postgres.StopAsync();

        // Pages say so on their own, and keep showing the clusters from memory.
        await Eventually.WaitForAsync(async () => (await vera.GetStringAsync("/")).Contains("registry-banner", StringComparison.Ordinal), "the banner", NoticeSeconds);
        var overview = WebUtility.HtmlDecode(await vera.GetStringAsync("/"));
        Assert.Matches(@"The registry database is unreachable since \d\d:\d\d UTC; live cluster state still updates; changes are paused\.", overview);
        Assert.Contains("data-testid=\"overview-cluster\"", overview, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _dashboard.Factory.CreateClient().GetAsync("/readyz")).StatusCode);

        // A change is refused with a sentence and a time to come back, and no exception.
        using (var change = await admin.PatchAsJsonAsync("/api/v1/clusters/delta", new { labels = new Dictionary<string, string> { ["env"] = "prod", ["tier"] = "silver" } }))
        {
            await AssertOutageProblemAsync(change);
        }
        // Reads of what only the registry holds: the same answer.
        await AssertOutageProblemAsync(await admin.GetAsync("/api/v1/clusters"));

        // Reads of live state with a token confirmed before the outage go on, and follow the clusters: a pod that starts
        // crash-looping now is on the list.
        var cluster = _simulator["delta"];
        await Eventually.WaitForAsync(() => cluster.Store.Snapshot(MultiCluster.Simulator.Store.ResourceCatalog.Pods, null).Any(), "the simulated pods");
        var pod = cluster.Store.Snapshot(MultiCluster.Simulator.Store.ResourceCatalog.Pods, null).First();
        cluster.Faults.CrashLoopPod(pod.Namespace, pod.Name);
        await Eventually.WaitForAsync(async () =>
        {
            using var problems = await pager.GetAsync("/api/v1/problems?cluster=delta");
            Assert.Equal(HttpStatusCode.OK, problems.StatusCode);
            return (await problems.Content.ReadAsStringAsync()).Contains("CrashLoopBackOff", StringComparison.Ordinal);
        }, "the crash loop on the problem list, read with a token confirmed before the outage", NoticeSeconds);
        // A pager bridge with that token connects to the fleet hub now and gets the clusters' live state.
        await using (var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_dashboard.Factory.Server.BaseAddress, FleetHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => _dashboard.Factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(pagerToken);
            })
            .Build())
        {
            await hub.StartAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(NoticeSeconds));
            var snapshot = await hub.StreamAsync<FleetBatchMessage>("Subscribe", new FleetSubscriptionRequest(["clusters"]), timeout.Token).FirstAsync(timeout.Token);
            Assert.True(snapshot.Reset);
            Assert.Equal(["delta"], snapshot.Changes.Select(c => c.Cluster));
        }

        // A token never confirmed cannot be checked now: 503 (try again), not 401 (your token is bad).
        await AssertOutageProblemAsync(await late.GetAsync("/api/v1/problems"));
        // And a confirmed token changes nothing: acknowledging is a change.
        await AssertOutageProblemAsync(await pager.PutAsJsonAsync("/api/v1/problems/any/acknowledgement", new { note = "outage" }));

        // What a person opens that needs the registry outside a page (a log download reads the cluster's credentials there):
        // a short page with the sentence, which reloads itself.
        using (var download = await vera.GetAsync($"/clusters/delta/pods/{pod.Namespace}/{pod.Name}/logs"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, download.StatusCode);
            Assert.Equal("text/html", download.Content.Headers.ContentType?.MediaType);
            Assert.True(download.Headers.RetryAfter?.Delta > TimeSpan.Zero, "No Retry-After.");
            Assert.Matches(@"The registry database is unreachable since \d\d:\d\d UTC, so this page cannot be shown now",
                WebUtility.HtmlDecode(await download.Content.ReadAsStringAsync()));
        }

        // Signing in needs the accounts: the form says so instead of failing.
        using var stranger = _dashboard.BrowserClient("127.0.0.2");
        using (var form = await stranger.GetAsync("/account/login"))
        {
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            Assert.Contains("signing in is paused", WebUtility.HtmlDecode(await form.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }
        using (var attempt = await TestDashboard.PostSignInAsync(stranger, "vera", TestDashboard.Password))
        {
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
            Assert.Contains("is unreachable", await TestDashboard.SignInErrorAsync(attempt), StringComparison.Ordinal);
        }

        // A page that reads the registry shows the sentence where its content would be, under the banner.
        using (var clusters = await vera.GetAsync("/clusters"))
        {
            var page = await clusters.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, clusters.StatusCode);
            Assert.Contains("data-testid=\"page-registry-outage\"", page, StringComparison.Ordinal);
            Assert.Contains("data-testid=\"registry-banner\"", page, StringComparison.Ordinal);
        }

        await _postgres.StartAgainAsync();

        // The banner goes by itself; the change made before is there, the one refused during is not, and changes work again.
        await Eventually.WaitForAsync(async () => !(await vera.GetStringAsync("/")).Contains("registry-banner", StringComparison.Ordinal), "the banner to clear", NoticeSeconds);
        // Ready again once the registry answers and the replica leads again (it asks for the leadership every 2 s).
        using var probe = _dashboard.Factory.CreateClient();
        await Eventually.WaitForAsync(async () =>
        {
            using var ready = await probe.GetAsync("/readyz");
            return ready.StatusCode == HttpStatusCode.OK;
        }, "/readyz to answer 200", NoticeSeconds);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["tier"] = "gold" }, await LabelsAsync(admin));
        using var audit = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/audit?action=cluster.edit"));
        Assert.Equal(1, audit.RootElement.GetProperty("total").GetInt32());
        using (var after = await admin.PatchAsJsonAsync("/api/v1/clusters/delta", new { labels = new Dictionary<string, string> { ["env"] = "prod", ["tier"] = "silver" } }))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
        Assert.Equal("silver", (await LabelsAsync(admin))["tier"]);
        Assert.DoesNotContain("page-registry-outage", await vera.GetStringAsync("/clusters"), StringComparison.Ordinal);
    }

    private static async Task AssertOutageProblemAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"Expected 503, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "No Retry-After.");
            using var problem = JsonDocument.Parse(body);
            Assert.Equal("The registry database is unreachable", problem.RootElement.GetProperty("title").GetString());
            Assert.Matches(@"^The registry database is unreachable since \d\d:\d\d UTC, so this request could not be served and nothing was changed\.",
                problem.RootElement.GetProperty("detail").GetString());
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        }
    }

    private static async Task<Dictionary<string, string>> LabelsAsync(HttpClient client)
    {
        using var cluster = JsonDocument.Parse(await client.GetStringAsync("/api/v1/clusters/delta"));
        return cluster.RootElement.GetProperty("labels").Deserialize<Dictionary<string, string>>()!;
    }
}
