using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;
using MultiCluster.Kubernetes.Triage;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>One simulated cluster watched into a fleet store, with the triage feed judging it: the triage tests' world.</summary>
public sealed class SimulatedTriage : IAsyncDisposable
{
    private SimulatorHost _simulator = default!;
    private ClusterWatch _watch = default!;

    private SimulatedTriage()
    {
    }

    public FleetStateStore Store { get; } = new(TimeProvider.System);

    public ProblemFeed Feed { get; private set; } = default!;

    public SimulatedCluster Cluster { get; private set; } = default!;

    public IReadOnlyList<ProblemGroup> Rows => [.. Store.All<ProblemGroup>(FleetKind.Problem)];

    /// <summary>Starts the simulator, the watch and the feed, and returns once the cluster is Synced.</summary>
    public static async Task<SimulatedTriage> StartAsync(string name, int nodes, int pods)
    {
        var triage = new SimulatedTriage();
        triage._simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters = [new ClusterOptions { Name = name, Nodes = nodes, Pods = pods }],
        });
        triage.Cluster = triage._simulator[name];
        var cluster = new WatchedCluster(name, name, new Dictionary<string, string> { ["env"] = "test" }, triage.Cluster.BaseUrl,
            new ClusterCredentials { Token = triage.Cluster.Token, CertificateAuthorityPem = triage.Cluster.CertificateAuthorityPem });
        var options = new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(1) };
        triage._watch = new ClusterWatch(cluster, triage.Store, new FleetProjections(new StringPool()), options, TimeProvider.System, NullLoggerFactory.Instance);
        triage.Feed = new ProblemFeed(triage.Store, new TriageOptions { SweepInterval = TimeSpan.FromSeconds(1) }, TimeProvider.System, NullLogger<ProblemFeed>.Instance);
        await triage.Feed.StartAsync(CancellationToken.None);
        triage._watch.Start();
        await Eventually.WaitForAsync(() => triage.Store.Cluster(name)?.Health == ClusterHealth.Synced, TimeSpan.FromSeconds(20), "the cluster to be Synced");
        return triage;
    }

    public async ValueTask DisposeAsync()
    {
        await Feed.StopAsync(CancellationToken.None);
        await _watch.DisposeAsync();
        Store.Dispose();
        await _simulator.DisposeAsync();
    }
}
