using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Hubs;

namespace MultiCluster.Web.Tests;

/// <summary>/hubs/fleet with the .NET SignalR client, the app in-process, a registered simulated cluster behind it.</summary>
public sealed class FleetHubTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TestDashboard _dashboard = new();
    private SimulatorHost _simulator = default!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "delta", Nodes = 2, Pods = 6 }] });
        await _dashboard.RegisterAsync(_simulator["delta"]);
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Anonymous_clients_are_refused()
    {
        await using var connection = Connect(token: null);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_token_holder_gets_the_snapshot_then_live_changes()
    {
        await using var connection = Connect(await TokenForAsync("viewer-vic", DashboardRoles.Viewer));
        await connection.StartAsync();
        var messages = Channel.CreateUnbounded<FleetBatchMessage>();
        _ = Task.Run(async () =>
        {
            await foreach (var message in connection.StreamAsync<FleetBatchMessage>("Subscribe", new FleetSubscriptionRequest(["clusters", "pods"])))
            {
                await messages.Writer.WriteAsync(message);
            }
        });

        var held = new Dictionary<string, JsonElement>();
        await ReceiveUntilAsync(messages, held, h => h.Keys.Count(k => k.StartsWith("pods ", StringComparison.Ordinal)) == 6
            && h.TryGetValue("clusters delta", out var c) && c.GetProperty("health").GetString() == "Synced");

        using var client = new k8s.Kubernetes(_simulator["delta"].CreateClientConfiguration());
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "hub-probe" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        }, "default");
        await ReceiveUntilAsync(messages, held, h => h.TryGetValue("pods default/hub-probe", out var pod) && pod.GetProperty("phase").GetString() == "Running");

        await client.CoreV1.DeleteNamespacedPodAsync("hub-probe", "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
        await ReceiveUntilAsync(messages, held, h => !h.ContainsKey("pods default/hub-probe"));
    }

    [Fact]
    public async Task Removing_a_cluster_stops_its_watch_and_its_state_leaves_the_hub()
    {
        await using var connection = Connect(await TokenForAsync("admin-ann", DashboardRoles.Administrator));
        await connection.StartAsync();
        var messages = Channel.CreateUnbounded<FleetBatchMessage>();
        _ = Task.Run(async () =>
        {
            await foreach (var message in connection.StreamAsync<FleetBatchMessage>("Subscribe", new FleetSubscriptionRequest(["clusters", "nodes"])))
            {
                await messages.Writer.WriteAsync(message);
            }
        });
        var held = new Dictionary<string, JsonElement>();
        await ReceiveUntilAsync(messages, held, h => h.ContainsKey("clusters delta") && h.Keys.Count(k => k.StartsWith("nodes ", StringComparison.Ordinal)) == 2);

        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice"), new Claim(ClaimTypes.Role, DashboardRoles.Administrator)], "test"));
        Assert.Null(await _dashboard.Factory.Services.GetRequiredService<ClusterRegistry>().RemoveAsync(admin, "delta"));

        await ReceiveUntilAsync(messages, held, h => h.Count == 0);
        Assert.DoesNotContain("delta", _dashboard.Factory.Services.GetRequiredService<MultiCluster.Kubernetes.Fleet.FleetWatcher>().Watching);
    }

    [Fact]
    public async Task A_pager_bridge_follows_problems_on_the_hub_and_acknowledges_them_through_the_api()
    {
        var token = await TokenForAsync("pager-pat", DashboardRoles.Operator);
        await using var connection = Connect(token);
        await connection.StartAsync();
        var messages = Channel.CreateUnbounded<FleetBatchMessage>();
        _ = Task.Run(async () =>
        {
            await foreach (var message in connection.StreamAsync<FleetBatchMessage>("Subscribe", new FleetSubscriptionRequest(["problems"])))
            {
                await messages.Writer.WriteAsync(message);
            }
        });
        var held = new Dictionary<string, JsonElement>();
        var cluster = _simulator["delta"];
        await WaitForPodsAsync(cluster);
        var pod = cluster.Store.Snapshot(MultiCluster.Simulator.Store.ResourceCatalog.Pods, null).First();
        cluster.Faults.CrashLoopPod(pod.Namespace, pod.Name);
        await ReceiveUntilAsync(messages, held, h => h.Values.Any(r => r.GetProperty("reason").GetString() == "CrashLoopBackOff"));
        var id = held.Values.Single(r => r.GetProperty("reason").GetString() == "CrashLoopBackOff").GetProperty("id").GetString()!;

        using var http = _dashboard.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/problems?cluster=delta&severity=Critical"));
        var row = list.RootElement.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("id").GetString() == id);
        Assert.Equal(("Critical", $"kubectl --context delta -n {pod.Namespace}"), (row.GetProperty("severity").GetString(), string.Join(' ', row.GetProperty("kubectl").GetString()!.Split(' ').Take(5))));
        Assert.EndsWith("?previous=true", row.GetProperty("link").GetString(), StringComparison.Ordinal);
        var malformed = await http.GetAsync("/api/v1/problems?selector=env%20in%20prod");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("parentheses", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var acknowledged = await http.PutAsJsonAsync($"/api/v1/problems/{id}/acknowledgement", new { note = "paged ana" });
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        await ReceiveUntilAsync(messages, held, h => h.Values.Any(r => r.GetProperty("id").GetString() == id &&
            r.GetProperty("acknowledgement").ValueKind == JsonValueKind.Object && r.GetProperty("acknowledgement").GetProperty("by").GetString() == "pager-pat"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.PutAsJsonAsync("/api/v1/problems/no-such-id/acknowledgement", new { note = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PutAsJsonAsync($"/api/v1/problems/{id}/acknowledgement", new { snoozeMinutes = 0 })).StatusCode);
        // A snooze hides a row from the default list and the counter: the server keeps it to a day, whatever the client asks.
        using var week = await http.PutAsJsonAsync($"/api/v1/problems/{id}/acknowledgement", new { snoozeMinutes = 10080 });
        Assert.Equal(HttpStatusCode.BadRequest, week.StatusCode);
        Assert.Contains("a minute to a day", await week.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        cluster.Faults.HealPod(pod.Namespace, pod.Name);
        await ReceiveUntilAsync(messages, held, h => !h.Values.Any(r => r.GetProperty("id").GetString() == id));
    }

    [Fact]
    public async Task A_tool_follows_a_quota_policys_targets_on_the_hub()
    {
        await using var connection = Connect(await TokenForAsync("tool-tom", DashboardRoles.Viewer));
        await connection.StartAsync();
        var messages = Channel.CreateUnbounded<FleetBatchMessage>();
        _ = Task.Run(async () =>
        {
            await foreach (var message in connection.StreamAsync<FleetBatchMessage>("Subscribe", new FleetSubscriptionRequest(["policytargets", "limitranges"])))
            {
                await messages.Writer.WriteAsync(message);
            }
        });
        using var http = _dashboard.ApiClient(await TokenForAsync("platform-pam", DashboardRoles.Administrator));

        using var saved = await http.PutAsJsonAsync("/api/v1/quota-policies/team-a-only", new { namespacePatterns = new[] { "team-a" }, hard = new Dictionary<string, string> { ["pods"] = "50" } });

        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var held = new Dictionary<string, JsonElement>();
        await ReceiveUntilAsync(messages, held, h => h.Values.Any(t => t.TryGetProperty("owner", out var owner) && owner.GetString() == "team-a-only"
            && t.GetProperty("namespace").GetString() == "team-a" && t.GetProperty("status").GetString() == "InSync"));
    }

    private static async Task WaitForPodsAsync(SimulatedCluster cluster)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!cluster.Store.Snapshot(MultiCluster.Simulator.Store.ResourceCatalog.Pods, null).Any())
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    [Fact]
    public async Task A_user_without_a_dashboard_role_is_refused_the_subscription()
    {
        await using var connection = Connect(await TokenForAsync("no-role-nora", role: null));
        await connection.StartAsync();
        var refused = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<FleetBatchMessage>("Subscribe", new FleetSubscriptionRequest(["clusters", "pods", "nodes"])))
            {
            }
        });
        Assert.Contains("unauthorized", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    private HubConnection Connect(string? token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(_dashboard.Factory.Server.BaseAddress, FleetHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => _dashboard.Factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                if (token is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .Build();

    private Task<string> TokenForAsync(string userName, string? role) => _dashboard.TokenForNewUserAsync(userName, role);

    private static async Task ReceiveUntilAsync(Channel<FleetBatchMessage> messages, Dictionary<string, JsonElement> held, Func<Dictionary<string, JsonElement>, bool> done)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!done(held))
        {
            var message = await messages.Reader.ReadAsync(timeout.Token);
            if (message.Reset)
            {
                held.Clear();
            }
            foreach (var change in message.Changes)
            {
                var key = $"{change.Kind} {change.Key}";
                if (change.Object is JsonElement element)
                {
                    held[key] = element;
                }
                else
                {
                    held.Remove(key);
                }
            }
        }
    }
}
