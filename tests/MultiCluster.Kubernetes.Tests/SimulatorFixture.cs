using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>Two small simulated clusters over HTTPS with a generated CA, on free loopback ports.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public SimulatorHost Simulator { get; private set; } = default!;

    public async Task InitializeAsync() =>
        Simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters =
            [
                new ClusterOptions { Name = "alpha", Nodes = 2, Pods = 4, KubernetesVersion = "v1.31.4" },
                new ClusterOptions { Name = "beta", Nodes = 1, Pods = 0, KubernetesVersion = "v1.32.2" },
            ],
        });

    public async Task DisposeAsync() => await Simulator.DisposeAsync();
}
