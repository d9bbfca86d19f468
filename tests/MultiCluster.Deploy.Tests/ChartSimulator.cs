using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Tests;

namespace MultiCluster.Deploy.Tests;

/// <summary>One simulated cluster, "home" (the cluster the dashboard is installed in), with a kubeconfig and kubectl for it.</summary>
public sealed class ChartSimulator : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mc-chart-").FullName;
    private SimulatorHost? _host;

    public const string Context = "home";

    public string KubeconfigPath => Path.Combine(_directory, "config");

    public Kubectl Kubectl { get; private set; } = null!;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task>> _once = new(StringComparer.Ordinal);

    /// <summary>Runs a setup step once for the tests sharing this cluster; the others await the same run.</summary>
    public Task OnceAsync(string step, Func<Task> setup) => _once.GetOrAdd(step, _ => new Lazy<Task>(setup)).Value;

    public async Task InitializeAsync()
    {
        _host = await SimulatorHost.StartAsync(new SimulatorOptions { Clusters = [new ClusterOptions { Name = Context, Nodes = 1 }] });
        _host.WriteKubeconfig(KubeconfigPath);
        Kubectl = new Kubectl(KubeconfigPath, Path.Combine(_directory, "cache"));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
