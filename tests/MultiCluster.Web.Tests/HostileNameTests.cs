using System.Text.Json;
using k8s;
using k8s.Models;
using MultiCluster.Data;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Tests;

namespace MultiCluster.Web.Tests;

/// <summary>
/// A name a cluster controls, in the <c>kubectl</c> field of <c>GET /api/v1/problems</c> (the command the Triage page
/// copies): pasted into bash it gives kubectl exactly that name and runs nothing else.
/// </summary>
public sealed class HostileNameTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _scratch = Directory.CreateTempSubdirectory("mc-hostile-scratch-").FullName;
    private readonly TestDashboard _dashboard = new();
    private SimulatorHost _simulator = default!;

    private string Pwned => Path.Combine(_scratch, "pwned");

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "delta", Nodes = 1, Pods = 2 }] });
        await _dashboard.RegisterAsync(_simulator["delta"]);
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task The_api_kubectl_command_for_a_hostile_event_name_runs_nothing_and_names_that_object()
    {
        var name = $"x;touch {Pwned};#";
        using var client = new k8s.Kubernetes(_simulator["delta"].CreateClientConfiguration());
        var now = DateTime.UtcNow;
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "hostile.17a2b3c4d5e6f789" },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = "default", Name = name },
            Type = "Warning", Reason = "BackOff", Message = "Back-off restarting failed container", Count = 20,
            FirstTimestamp = now, LastTimestamp = now,
        }, "default");

        using var http = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("admin-ada", DashboardRoles.Administrator));
        var command = await KubectlOfRowAsync(http, name);

        Assert.Equal(
            ["kubectl", "--context", "delta", "-n", "default", "get", "events", "--field-selector", $"involvedObject.kind=Pod,involvedObject.name={name}"],
            await ShellWords.ArgvAsync(command));
        Assert.False(File.Exists(Pwned));
    }

    /// <summary>The <c>kubectl</c> field of the problem row about <paramref name="name"/>, once the API lists it.</summary>
    private static async Task<string> KubectlOfRowAsync(HttpClient http, string name)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            using var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/problems?cluster=delta", timeout.Token));
            if (list.RootElement.GetProperty("problems").EnumerateArray().FirstOrDefault(p => p.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } row)
            {
                return row.GetProperty("kubectl").GetString()!;
            }
            await Task.Delay(100, timeout.Token);
        }
    }
}
