using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Benchmarks;

/// <summary>
/// The vCluster lifecycle through the API of a dashboard in its own process (Production settings), on one simulated host:
/// how long a create takes until the vCluster is registered (it answers only after its own API does), until its registered
/// cluster is Synced, a pause until the list and its cluster say Paused, a resume until it is Synced again, and a delete;
/// and what a nested simulated cluster costs the simulator.
/// </summary>
public static class VirtualClusterBenchmark
{
    public static async Task<int> RunAsync(int count, string outDirectory)
    {
        var work = Directory.CreateTempSubdirectory("mc-vcluster-bench-").FullName;
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "host", Nodes = 10, Pods = 100 }] });
        var kubeconfig = simulator.BuildKubeconfigYaml();
        await using var dashboard = await Dashboard.StartAsync(work);
        await dashboard.RegisterAsync(kubeconfig, ["host"]);
        using var http = new HttpClient { BaseAddress = dashboard.BaseUrl, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", dashboard.Token);
        // The benchmark's account is an Administrator: its writes go as it, once the engine has bound the fleet-wide roles.
        using (var host = new k8s.Kubernetes(simulator["host"].CreateClientConfiguration()))
        {
            await WaitAsync(async () => (await host.RbacAuthorizationV1.ListClusterRoleBindingAsync()).Items.Any(b => b.Metadata.Name == "mc-fleet-administrator"), "the fleet-wide roles' bindings");
        }
        Report.Memory("before any vCluster");
        Report.Line($"{count} vClusters on one host (10 nodes, 100 pods), one after another, through /api/v1/virtual-clusters");

        var created = new List<double>();
        var synced = new List<double>();
        foreach (var name in Names(count))
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync("/api/v1/virtual-clusters", new { host = "host", name });
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"create {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            created.Add(clock.Elapsed.TotalMilliseconds);
            await WaitAsync(async () => await RegisteredHealthAsync(http, name) == "Synced", $"{name} Synced");
            synced.Add(clock.Elapsed.TotalMilliseconds);
        }
        var createdFigures = Percentiles.Of(created);
        var syncedFigures = Percentiles.Of(synced);
        Report.Line($"create until registered (its own API answered): {createdFigures}");
        Report.Line($"create until its cluster is Synced: {syncedFigures}");
        Report.Memory($"with {count} running vClusters (simulator in this process)");

        var paused = await TimeEachAsync(http, count, "pause", "Paused");
        Report.Line($"pause until the list and its cluster say Paused: {paused}");
        var resumed = await TimeEachAsync(http, count, "resume", "Synced");
        Report.Line($"resume until its cluster is Synced again: {resumed}");

        var deleted = new List<double>();
        foreach (var name in Names(count))
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.DeleteAsync($"/api/v1/virtual-clusters/host/vcluster-{name}/{name}");
            response.EnsureSuccessStatusCode();
            deleted.Add(clock.Elapsed.TotalMilliseconds);
        }
        var deletedFigures = Percentiles.Of(deleted);
        Report.Line($"delete (objects, namespace, registration): {deletedFigures}");
        Report.Line($"dashboard resident memory at the end: {dashboard.Process.ResidentBytes() / 1024.0 / 1024.0:N0} MB");

        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, "vclusters.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { count, created = createdFigures, synced = syncedFigures, paused, resumed, deleted = deletedFigures },
            new JsonSerializerOptions { WriteIndented = true }));
        Report.Line($"figures written to {path}");
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static IEnumerable<string> Names(int count) => Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"tenant-{i:00}"));

    private static async Task<Percentiles> TimeEachAsync(HttpClient http, int count, string action, string health)
    {
        var samples = new List<double>();
        foreach (var name in Names(count))
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsync($"/api/v1/virtual-clusters/host/vcluster-{name}/{name}/{action}", null);
            response.EnsureSuccessStatusCode();
            await WaitAsync(async () => await RegisteredHealthAsync(http, name) == health, $"{name} {health} after {action}");
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Percentiles.Of(samples);
    }

    private static async Task<string?> RegisteredHealthAsync(HttpClient http, string name)
    {
        using var response = await http.GetAsync($"/api/v1/virtual-clusters/host/vcluster-{name}/{name}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var row = await response.Content.ReadFromJsonAsync<JsonElement>();
        var health = row.GetProperty("registeredHealth");
        var status = row.GetProperty("status").GetString();
        // Paused counts once both the list (the CLI's status) and the registered cluster say so.
        return health.ValueKind == JsonValueKind.Null ? null
            : health.ToString() == "Paused" && status != "Paused" ? "pausing"
            : health.ToString();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"Waited 3 minutes for {what}.");
            }
            await Task.Delay(20);
        }
    }
}
