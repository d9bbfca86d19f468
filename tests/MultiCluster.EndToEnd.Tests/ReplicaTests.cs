using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MultiCluster.Data.Tests;
using MultiCluster.Simulator.Faults;
using MultiCluster.Simulator.Hosting;
using Npgsql;
using Xunit.Abstractions;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>Several replicas as they are deployed: separate processes, one PostgreSQL registry, one writer at a time.</summary>
public sealed class ReplicaTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_second_replica_on_the_same_SQLite_registry_is_refused_with_the_setting_that_selects_PostgreSQL()
    {
        await using var first = await DashboardProcess.StartAsync();

        var (exitCode, text) = await DashboardProcess.RunUntilExitAsync(new Dictionary<string, string> { ["MultiCluster__DataDirectory"] = first.DataDirectory });

        Assert.Equal(1, exitCode);
        Assert.Contains("Another MultiCluster process already serves the SQLite registry", text, StringComparison.Ordinal);
        Assert.Contains("set Database:Provider to 'Postgres' and ConnectionStrings:Registry", text, StringComparison.Ordinal);
        // The first goes on serving.
        using var http = new HttpClient { BaseAddress = first.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Two_replicas_on_one_PostgreSQL_see_each_other_s_changes_and_only_the_leader_writes_to_clusters()
    {
        var database = await TestPostgres.CreateEmptyDatabaseAsync();
        // A role per replica, so that one of them alone can lose the database.
        var roles = new[] { $"mc_replica_a_{Guid.NewGuid():N}", $"mc_replica_b_{Guid.NewGuid():N}" };
        try
        {
            foreach (var role in roles)
            {
                await SqlAsync(database, $"CREATE ROLE \"{role}\" LOGIN SUPERUSER");
            }
            await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
            {
                Port = 0,
                Clusters = [new ClusterOptions { Name = "east", Nodes = 1, Namespaces = ["team-a"] }],
            });
            var east = simulator["east"];
            using var kubernetes = new Kubernetes(east.CreateClientConfiguration());
            await kubernetes.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "crasher", Annotations = new Dictionary<string, string> { [FaultAnnotations.PodFault] = FaultAnnotations.CrashLoopBackOff } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            }, "team-a");

            var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            Dictionary<string, string> Settings(string role) => new()
            {
                ["Database__Provider"] = "Postgres",
                ["ConnectionStrings__Registry"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role }.ConnectionString,
                ["MC_MASTER_KEY"] = masterKey,
                // "Watching cluster east": when a replica starts watching a cluster.
                ["Logging__LogLevel__MultiCluster.Kubernetes.Fleet.FleetWatcher"] = "Information",
            };
            await using var a = (await DashboardProcess.StartAsync(Settings(roles[0]))).ReportingTo(output);
            await using var b = (await DashboardProcess.StartAsync(Settings(roles[1]))).ReportingTo(output);
            var (created, _, createError) = await a.RunAdminAsync("create-service-account", "--user", "ci-admin", "--role", "Administrator");
            Assert.True(created == 0, createError);
            var (tokenExit, token, tokenError) = await a.RunAdminAsync("create-token", "--user", "ci-admin", "--name", "ci", "--expires", "1d");
            Assert.True(tokenExit == 0, tokenError);
            using var apiA = Api(a, token.Trim());
            using var apiB = Api(b, token.Trim());

            // A cluster registered on A is watched on B, and its crash-looping pod is a problem there.
            var registering = Stopwatch.StartNew();
            using (var registered = await apiA.PostAsJsonAsync("/api/v1/clusters",
                new { name = "east", server = east.BaseUrl.ToString(), token = east.Token, certificateAuthority = east.CertificateAuthorityPem }))
            {
                Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
            }
            var saved = registering.Elapsed;
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} A answered the registration of east (B's output comes first below, then A's)");
            await WaitForAsync(() => Task.FromResult(b.Output), o => o.Contains("Watching cluster east", StringComparison.Ordinal), TimeSpan.FromSeconds(2));
            output.WriteLine($"Cluster registered on A, watched by B {(registering.Elapsed - saved).TotalMilliseconds:0} ms after A answered");
            var problem = (await WaitForAsync(() => ProblemAsync(apiB, "crasher", _ => true), p => p is not null, TimeSpan.FromSeconds(10))).GetValueOrDefault();
            output.WriteLine($"... and its crash-looping pod shown by B on Triage {(registering.Elapsed - saved).TotalMilliseconds:0} ms after");

            // An acknowledgement made on A shows on B within a second.
            await WaitForAsync(() => ProblemAsync(apiA, "crasher", _ => true), p => p is not null, TimeSpan.FromSeconds(10));
            var acknowledging = Stopwatch.StartNew();
            using (var acknowledged = await apiA.PutAsJsonAsync($"/api/v1/problems/{Uri.EscapeDataString(problem.GetProperty("id").GetString()!)}/acknowledgement", new { note = "on it" }))
            {
                Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());
            }
            var answered = acknowledging.Elapsed;
            var onB = (await WaitForAsync(() => ProblemAsync(apiB, "crasher", p => p.GetProperty("acknowledgement").ValueKind == JsonValueKind.Object),
                p => p is not null, TimeSpan.FromSeconds(1))).GetValueOrDefault();
            output.WriteLine($"Acknowledgement made on A shown by B {(acknowledging.Elapsed - answered).TotalMilliseconds:0} ms after A answered");
            Assert.Equal("on it", onB.GetProperty("acknowledgement").GetProperty("note").GetString());

            // An account disabled with the admin console (a process of its own, as on any replica): its live hub stream on B
            // ends at once, not at B's next 30 s check.
            var (watcherMade, _, watcherError) = await a.RunAdminAsync("create-service-account", "--user", "watcher", "--role", "Viewer");
            Assert.True(watcherMade == 0, watcherError);
            var (watcherTokenExit, watcherToken, watcherTokenError) = await a.RunAdminAsync("create-token", "--user", "watcher", "--name", "hub", "--expires", "1d");
            Assert.True(watcherTokenExit == 0, watcherTokenError);
            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(b.BaseUrl, "/hubs/fleet"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(watcherToken.Trim()))
                .Build();
            await hub.StartAsync();
            // Not disposed: SignalR's stream enumerator refuses DisposeAsync; closing the connection ends it.
            var messages = hub.StreamAsync<JsonElement>("Subscribe", new { kinds = new[] { "clusters" } }).GetAsyncEnumerator();
            Assert.True(await messages.MoveNextAsync(), "the hub's first message (the snapshot)");
            var following = Task.Run(async () =>
            {
                while (await messages.MoveNextAsync())
                {
                }
            });
            var (disabled, _, disableError) = await a.RunAdminAsync("disable-user", "--user", "watcher");
            Assert.True(disabled == 0, disableError);
            var disabling = Stopwatch.StartNew();
            var ended = await Assert.ThrowsAsync<HubException>(() => following.WaitAsync(TimeSpan.FromSeconds(5)));
            output.WriteLine($"Account disabled with the admin console: its hub stream on B ended {disabling.ElapsedMilliseconds} ms after the command returned");
            Assert.Contains("The account is disabled", ended.Message, StringComparison.Ordinal);

            // One leader writes the quota policy's objects.
            using (var policy = await apiB.PutAsJsonAsync("/api/v1/quota-policies/teams", new { namespacePatterns = new[] { "team-*" }, hard = new Dictionary<string, string> { ["pods"] = "50" } }))
            {
                Assert.True(policy.IsSuccessStatusCode, await policy.Content.ReadAsStringAsync());
            }
            await WaitForAsync(async () => (await kubernetes.CoreV1.ListNamespacedResourceQuotaAsync("team-a")).Items.Count, n => n > 0, TimeSpan.FromSeconds(30));
            var leaders = new List<DashboardProcess>();
            foreach (var replica in new[] { a, b })
            {
                if ((await ReadyAsync(replica)).Text.Contains("Leads the reconcilers", StringComparison.Ordinal))
                {
                    leaders.Add(replica);
                }
            }
            var leader = Assert.Single(leaders);
            var follower = leader == a ? b : a;
            Assert.Contains("Follows: another replica leads the reconcilers.", (await ReadyAsync(follower)).Text, StringComparison.Ordinal);

            // A Repair asked of the follower (a policy that only informs) is made by the leader.
            await kubernetes.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "ops-a" } });
            using (var informs = await apiA.PutAsJsonAsync("/api/v1/quota-policies/ops", new { mode = "Inform", namespacePatterns = new[] { "ops-*" }, hard = new Dictionary<string, string> { ["pods"] = "5" } }))
            {
                Assert.True(informs.IsSuccessStatusCode, await informs.Content.ReadAsStringAsync());
            }
            var followerApi = follower == a ? apiA : apiB;
            await WaitForAsync(async () => (await followerApi.GetStringAsync("/api/v1/quota-policies/ops/targets")).Contains("ops-a", StringComparison.Ordinal), found => found, TimeSpan.FromSeconds(10));
            Assert.Empty((await kubernetes.CoreV1.ListNamespacedResourceQuotaAsync("ops-a")).Items);
            using (var repair = await followerApi.PostAsync("/api/v1/quota-policies/ops/targets/east/ops-a/repair", null))
            {
                Assert.Equal(HttpStatusCode.Accepted, repair.StatusCode);
            }
            await WaitForAsync(async () => (await kubernetes.CoreV1.ListNamespacedResourceQuotaAsync("ops-a")).Items.Count, n => n > 0, TimeSpan.FromSeconds(5));

            // The leader is killed; the other takes over and writes the objects of a namespace made after that.
            leader.Kill();
            var killed = DateTimeOffset.UtcNow;
            var failover = Stopwatch.StartNew();
            await kubernetes.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-b" } });
            await WaitForAsync(async () => (await kubernetes.CoreV1.ListNamespacedResourceQuotaAsync("team-b")).Items.Count, n => n > 0, TimeSpan.FromSeconds(15));
            output.WriteLine($"Failover: the leader was SIGKILLed; the other replica wrote the new namespace's ResourceQuota {failover.ElapsedMilliseconds} ms later");
            Assert.Contains("Leads the reconcilers", (await ReadyAsync(follower)).Text, StringComparison.Ordinal);

            // The clusters' request log: every object was written by one replica, the leader of the moment.
            var writes = east.Requests.Recent
                .Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE" && r.UserAgent?.StartsWith("MultiCluster/", StringComparison.Ordinal) == true)
                .ToList();
            Assert.Contains(writes, w => w.Path.Contains("/namespaces/team-b/resourcequotas/", StringComparison.Ordinal));
            var byBoth = writes.GroupBy(w => w.Path.Split('?')[0]).Where(g => g.Select(w => w.UserAgent).Distinct().Count() > 1).Select(g => g.Key).ToList();
            Assert.True(byBoth.Count == 0, $"Written by both replicas: {string.Join(", ", byBoth)}");
            Assert.All(writes, w => Assert.Equal(w.Time < killed ? AgentOf(leader) : AgentOf(follower), w.UserAgent));
            output.WriteLine($"{writes.Count} writes to the cluster, {writes.Count(w => w.Time < killed)} by the first leader and the rest by the second");

            // The remaining leader loses the database: it stops leading and says so on /readyz.
            var survivorRole = follower == a ? roles[0] : roles[1];
            await SqlAsync(database, $"ALTER ROLE \"{survivorRole}\" NOLOGIN");
            await SqlAsync(database, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{survivorRole}'");
            var cutOff = Stopwatch.StartNew();
            var lost = await WaitForAsync(() => ReadyAsync(follower), r => r.Status == HttpStatusCode.ServiceUnavailable && r.Text.Contains("leadership: Unhealthy", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10));
            output.WriteLine($"Cut off from PostgreSQL, the leader stopped leading and said so on /readyz {cutOff.ElapsedMilliseconds} ms later");
            Assert.Contains("leadership: Unhealthy. Does not lead: the connection to PostgreSQL that holds the leadership is lost.", lost.Text, StringComparison.Ordinal);
            await SqlAsync(database, $"ALTER ROLE \"{survivorRole}\" LOGIN");
            var back = await WaitForAsync(() => ReadyAsync(follower), r => r.Status == HttpStatusCode.OK && r.Text.Contains("Leads", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.StartsWith("Healthy", back.Text, StringComparison.Ordinal);
        }
        finally
        {
            await database.DisposeAsync();
            await using var server = new NpgsqlConnection(TestPostgres.ServerConnectionString);
            await server.OpenAsync();
            foreach (var role in roles)
            {
                await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{role}\"", server);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    private static string AgentOf(DashboardProcess replica) => $"MultiCluster/1.0 ({Environment.MachineName}/{replica.ProcessId})";

    private static HttpClient Api(DashboardProcess replica, string token)
    {
        var client = new HttpClient { BaseAddress = replica.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Text)> ReadyAsync(DashboardProcess replica)
    {
        using var http = new HttpClient { BaseAddress = replica.BaseUrl };
        using var response = await http.GetAsync("/readyz");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The problem row of pod <paramref name="pod"/> on cluster east, when it is there and <paramref name="matches"/>.</summary>
    private static async Task<JsonElement?> ProblemAsync(HttpClient api, string pod, Func<JsonElement, bool> matches)
    {
        var list = await api.GetFromJsonAsync<JsonElement>("/api/v1/problems");
        foreach (var row in list.GetProperty("problems").EnumerateArray())
        {
            if (row.GetProperty("cluster").GetString() == "east" && row.GetProperty("name").GetString() == pod && matches(row))
            {
                return row.Clone();
            }
        }
        return null;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var found = await probe();
            if (done(found))
            {
                return found;
            }
            Assert.True(deadline.Elapsed < limit, $"Not reached within {limit.TotalSeconds:0.0} s");
            await Task.Delay(50);
        }
    }

    private static async Task SqlAsync(TestPostgres database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
