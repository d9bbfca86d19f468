using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core.Access;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Core.Triage;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Access;
using MultiCluster.Web.Hubs;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Web.Tests;

/// <summary>
/// A person who may see cluster alpha only (a member of team payments, whose grant reaches alpha; no fleet-wide role)
/// reads every endpoint, page and hub kind, enumerated from the app: nothing of cluster bravo reaches them (its name,
/// its pods, their problems, its quota and the policy targets there), while alpha's does.
/// </summary>
public sealed class VisibilityTests : IAsyncLifetime
{
    /// <summary>What only bravo's data carries: a leak shows one of these, whatever the route echoes of its own path.</summary>
    private static readonly string[] BravoData = ["zulu-image", "zulu-container", "zulu-quota"];

    private SimulatorHost _simulator = default!;
    private TestDashboard _dashboard = default!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters = [new ClusterOptions { Name = "alpha", Nodes = 1, Pods = 0 }, new ClusterOptions { Name = "bravo", Nodes = 1, Pods = 0 }],
        });
        await PodAsync("alpha", "team-a", "alpha-web", "alpha-image", "alpha-container");
        await PodAsync("bravo", "team-b", "zulu-secret", "zulu-image", "zulu-container");
        using (var bravo = new k8s.Kubernetes(_simulator["bravo"].CreateClientConfiguration()))
        {
            await bravo.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
            {
                Metadata = new V1ObjectMeta { Name = "zulu-quota" },
                Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["count/configmaps"] = new("10") } },
            }, "team-b");
        }
        _simulator["bravo"].Faults.CrashLoopPod("team-b", "zulu-secret");

        _dashboard = new TestDashboard();
        await _dashboard.RegisterAsync(_simulator["alpha"], new Dictionary<string, string> { ["env"] = "prod" });
        await _dashboard.RegisterAsync(_simulator["bravo"], new Dictionary<string, string> { ["env"] = "dev" });
        await _dashboard.CreateUserAsync("carl", role: null);
        await _dashboard.CreateUserAsync("vera", DashboardRoles.Viewer);

        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "root"), new Claim(ClaimTypes.Role, DashboardRoles.Administrator)], "test"));
        var access = _dashboard.Services.GetRequiredService<AccessPolicies>();
        var team = await access.SaveTeamAsync(admin, new Team
        {
            Name = "payments", Members = [new TeamMember(MemberKind.User, "carl"), new TeamMember(MemberKind.User, "vera")], DashboardRole = DashboardRoles.Operator,
            Ceiling = new TeamCeiling { ClusterSelector = "env=prod", NamespacePatterns = ["team-*"], Roles = ["view"] },
        }, null);
        Assert.Empty(team.Problems);
        var grant = await access.SaveGrantAsync(admin, new AccessGrant { Name = "payments-view", Team = "payments", Role = "view", ClusterSelector = "env=prod", NamespacePatterns = ["team-*"] }, null);
        Assert.Empty(grant.Problems);
        // Another team's grant on alpha: carl sees alpha, not that team's targets there.
        Assert.Empty((await access.SaveTeamAsync(admin, new Team
        {
            Name = "search", Members = [new TeamMember(MemberKind.User, "sol")],
            Ceiling = new TeamCeiling { ClusterSelector = "env=prod", NamespacePatterns = ["team-*"], Roles = ["view"] },
        }, null)).Problems);
        Assert.Empty((await access.SaveGrantAsync(admin, new AccessGrant { Name = "search-view", Team = "search", Role = "view", ClusterSelector = "env=prod", NamespacePatterns = ["team-*"] }, null)).Problems);
        var policy = await _dashboard.Services.GetRequiredService<QuotaPolicies>().SaveAsync(admin, new QuotaPolicy
        {
            Name = "everywhere", NamespacePatterns = ["team-*"], Hard = new Dictionary<string, string> { ["count/secrets"] = "50" },
        }, null);
        Assert.True(policy.Saved, string.Join(" ", policy.Problems));
        // Policies that name clusters: one both (carl sees it, naming alpha only), one bravo alone (carl does not see it).
        foreach (var (name, clusters, priority) in new[] { ("named-both", new[] { "alpha", "bravo" }, 1), ("named-bravo", new[] { "bravo" }, 2) })
        {
            var named = await _dashboard.Services.GetRequiredService<QuotaPolicies>().SaveAsync(admin, new QuotaPolicy
            {
                Name = name, Clusters = clusters, NamespacePatterns = ["team-*"], Hard = new Dictionary<string, string> { ["count/secrets"] = "40" }, Priority = priority,
            }, null);
            Assert.True(named.Saved, string.Join(" ", named.Problems));
        }

        // Everything is in the store before anyone looks: both clusters' pods, bravo's problem, the targets on both.
        var store = _dashboard.Services.GetRequiredService<FleetStateStore>();
        await Eventually.WaitForAsync(() =>
            store.Get<PodSummary>(FleetKind.Pod, "alpha", FleetKeys.Of("team-a", "alpha-web")) is not null
            && store.All<ProblemGroup>(FleetKind.Problem, "bravo").Any()
            && store.All<QuotaSummary>(FleetKind.ResourceQuota, "bravo").Any(q => q.Name == "zulu-quota")
            && store.All<PolicyTarget>(FleetKind.PolicyTarget, "bravo").Any()
            && store.All<PolicyTarget>(FleetKind.PolicyTarget, "alpha").Any(t => t.Owner == "search-view"), "both clusters in the store");
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Every_endpoint_and_page_shows_a_member_of_alphas_team_nothing_of_bravo()
    {
        using var api = _dashboard.ApiClient(await _dashboard.TokenForAsync((await FindUserAsync("carl"))!));
        using var browser = await _dashboard.SignedInBrowserAsync("carl");
        var problems = new List<string>();
        var read = 0;
        foreach (var endpoint in EndpointTable.Of(_dashboard.Services))
        {
            var pattern = EndpointTable.Pattern(endpoint);
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var page = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
            if (!methods.Contains("GET") || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || EndpointTable.IsStaticFile(pattern)
                || pattern.StartsWith("/_", StringComparison.Ordinal) || pattern.StartsWith("/hubs/", StringComparison.Ordinal) || pattern.StartsWith("/account/", StringComparison.Ordinal))
            {
                continue;
            }
            var path = Fill(pattern);
            using var response = await (page ? browser : api).GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            read++;
            foreach (var leak in BravoData.Where(d => body.Contains(d, StringComparison.Ordinal)))
            {
                problems.Add($"GET {path} ({(int)response.StatusCode}) shows bravo's {leak}");
            }
            if (!pattern.Contains('{', StringComparison.Ordinal) && body.Contains("bravo", StringComparison.Ordinal))
            {
                problems.Add($"GET {path} ({(int)response.StatusCode}) names bravo");
            }
            if (!page && pattern.Contains("{cluster}", StringComparison.Ordinal) && response.IsSuccessStatusCode)
            {
                problems.Add($"GET {path} answered {(int)response.StatusCode} for a cluster carl may not see");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(read >= 20, $"only {read} routes were read; the enumeration is broken");

        // Alpha's own data does reach carl, so the test above is not passing on empty pages.
        Assert.Contains("\"alpha\"", await api.GetStringAsync("/api/v1/clusters"), StringComparison.Ordinal);
        var overview = await browser.GetStringAsync("/");
        Assert.Contains("href=\"/clusters/alpha\"", overview, StringComparison.Ordinal);
        Assert.Contains("href=\"/pods\"", overview, StringComparison.Ordinal);
        Assert.Contains("\"alpha\"", await api.GetStringAsync("/api/v1/quota-policies/named-both/targets"), StringComparison.Ordinal);
        Assert.Contains("named-both", await api.GetStringAsync("/api/v1/quota-policies"), StringComparison.Ordinal);
        Assert.DoesNotContain("named-bravo", await api.GetStringAsync("/api/v1/quota-policies"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/quota-policies/named-bravo")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task Every_hub_kind_streams_alpha_and_nothing_of_bravo()
    {
        var token = await _dashboard.TokenForAsync((await FindUserAsync("carl"))!);
        await using var connection = _dashboard.FleetHubConnection(token);
        await connection.StartAsync();
        var kinds = new[] { "clusters", "nodes", "pods", "namespaces", "events", "resourcequotas", "limitranges", "problems", "policytargets" };
        var messages = Channel.CreateUnbounded<FleetBatchMessage>();
        _ = Task.Run(async () =>
        {
            await foreach (var message in connection.StreamAsync<FleetBatchMessage>("Subscribe", new FleetSubscriptionRequest(kinds)))
            {
                await messages.Writer.WriteAsync(message);
            }
        });

        var seen = new List<FleetChangeMessage>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!(seen.Any(c => c.Kind == "pods" && c.Key.EndsWith("alpha-web", StringComparison.Ordinal)) && seen.Any(c => c.Kind == "policytargets")))
        {
            seen.AddRange((await messages.Reader.ReadAsync(timeout.Token)).Changes);
        }
        Assert.All(seen, c => Assert.Equal("alpha", c.Cluster));
        Assert.DoesNotContain(seen, c => c.Key.Contains("search-view", StringComparison.Ordinal));
        Assert.DoesNotContain(seen, c => BravoData.Any(d => JsonSerializer.Serialize(c.Object).Contains(d, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_viewer_everywhere_who_is_operator_through_a_team_acts_on_the_teams_cluster_only()
    {
        using var vera = _dashboard.ApiClient(await _dashboard.TokenForAsync((await FindUserAsync("vera"))!));
        var problem = (await vera.GetFromJsonAsync<JsonElement>("/api/v1/problems?cluster=bravo")).GetProperty("problems")[0].GetProperty("id").GetString();

        using var acknowledged = await vera.PutAsJsonAsync($"/api/v1/problems/{problem}/acknowledgement", new { note = "mine?" });
        using var tested = await vera.PostAsync("/api/v1/clusters/bravo/test", null);
        using var testedAlpha = await vera.PostAsync("/api/v1/clusters/alpha/test", null);

        Assert.Equal(HttpStatusCode.Forbidden, acknowledged.StatusCode);
        Assert.Contains("Your role on bravo (Viewer) may not acknowledge or snooze problems; that needs Administrator or Operator.", await acknowledged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, tested.StatusCode);
        Assert.Equal(HttpStatusCode.OK, testedAlpha.StatusCode);
    }

    /// <summary>Routes filled with bravo's names (and the names of what exists everywhere), so a route that forgets to check shows bravo's data.</summary>
    private static string Fill(string pattern) => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{([^}:=?]+)[^}]*\}", m => m.Groups[1].Value switch
    {
        "cluster" => "bravo",
        "ns" or "namespace" => "team-b",
        "documentName" => "v1",
        _ when pattern.Contains("quota", StringComparison.Ordinal) => "everywhere",
        _ when pattern.Contains("grant", StringComparison.Ordinal) => "payments-view",
        _ when pattern.Contains("team", StringComparison.Ordinal) => "payments",
        _ when pattern.Contains("clusters/{name}", StringComparison.Ordinal) || pattern.EndsWith("/clusters/{cluster}", StringComparison.Ordinal) => "bravo",
        _ => "zulu-secret",
    }).Replace("**", "", StringComparison.Ordinal);

    private async Task<MultiCluster.Data.Entities.DashboardUser?> FindUserAsync(string name)
    {
        using var scope = _dashboard.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<MultiCluster.Data.Entities.DashboardUser>>().FindByNameAsync(name);
    }

    private async Task PodAsync(string cluster, string ns, string name, string image, string container)
    {
        using var client = new k8s.Kubernetes(_simulator[cluster].CreateClientConfiguration());
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = container, Image = image }] },
        }, ns);
    }
}
