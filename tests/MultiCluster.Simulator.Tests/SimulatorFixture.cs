using k8s;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Tests;

/// <summary>A simulator started in-process on free loopback ports, shared by the tests of one class.</summary>
public class SimulatorFixture : IAsyncLifetime
{
    private SimulatorHost? _host;

    public SimulatorHost Host => _host ?? throw new InvalidOperationException("The simulator has not started.");

    public SimulatedCluster Cluster => Host.Clusters[0];

    protected virtual SimulatorOptions CreateOptions() => new()
    {
        UseHttps = true,
        BookmarkInterval = TimeSpan.FromMilliseconds(500),
        ControllerDelay = TimeSpan.FromMilliseconds(10),
        NodeHeartbeatInterval = TimeSpan.FromSeconds(2),
        NodeStatusReportInterval = TimeSpan.FromSeconds(2),
        Clusters =
        [
            new ClusterOptions { Name = "alpha", Nodes = 3, Pods = 12, Namespaces = ["team-a", "team-b"] },
            new ClusterOptions { Name = "beta", Nodes = 2, KubernetesVersion = "v1.31.4" },
        ],
    };

    public Kubernetes CreateClient(SimulatedCluster? cluster = null) => new((cluster ?? Cluster).CreateClientConfiguration());

    public virtual async Task InitializeAsync() => _host = await SimulatorHost.StartAsync(CreateOptions());

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
