using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The fleet watcher across a watch's replacement: what pages hold (leases on on-demand kinds) outlives the watch it was taken on.</summary>
public sealed class FleetWatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    private readonly FleetStateStore _store = new(TimeProvider.System);
    private SimulatorHost _simulator = default!;
    private FleetWatcher _watcher = default!;

    private SimulatedCluster Cluster => _simulator["delta"];

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters = [new ClusterOptions { Name = "delta", Nodes = 2, Pods = 20 }],
        });
        _watcher = new FleetWatcher(new NoSource(), _store, new FleetProjections(new StringPool()),
            new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(1) }, TimeProvider.System, NullLoggerFactory.Instance);
        await _watcher.ReconcileAsync([Watched(new ClusterCredentials { Token = Cluster.Token, CertificateAuthorityPem = Cluster.CertificateAuthorityPem })]);
        await Eventually.WaitForAsync(() => _store.Cluster("delta")?.Health == ClusterHealth.Synced, Settle, "delta to be Synced");
    }

    public async Task DisposeAsync()
    {
        await _watcher.StopAsync(CancellationToken.None);
        _store.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task A_page_s_lease_on_deployments_survives_a_credential_edit_and_is_released_after_it()
    {
        var overview = await _watcher.DemandAsync("delta", WatchedKinds.Deployments);
        var lease = await _watcher.DemandAsync("delta", WatchedKinds.Deployments);
        var deployments = Cluster.Store.Count(MultiCluster.Simulator.Store.ResourceCatalog.Deployments);
        await Eventually.WaitForAsync(() => _store.Count(FleetKind.Deployment, "delta") == deployments, Settle, "the deployments in the store");

        // Someone edits the cluster's credentials: the watch is replaced by one signing in with a client certificate.
        await _watcher.ReconcileAsync([Watched(new ClusterCredentials
        {
            ClientCertificatePem = Cluster.ClientCertificatePem,
            ClientKeyPem = Cluster.ClientKeyPem,
            CertificateAuthorityPem = Cluster.CertificateAuthorityPem,
        })]);
        await Eventually.WaitForAsync(() => _store.Cluster("delta")?.Health == ClusterHealth.Synced, Settle, "delta to be Synced again");

        // The page is still open: its Deployments tab keeps following the cluster.
        using var client = new k8s.Kubernetes(Cluster.CreateClientConfiguration());
        await client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "after-edit" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "after-edit" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "after-edit" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
                },
            },
        }, "default");
        await Eventually.WaitForAsync(() => _store.Get<DeploymentSummary>(FleetKind.Deployment, "delta", "default/after-edit") is not null, Settle,
            "the deployment made after the edit in the store");
        Assert.Contains(_store.Cluster("delta")!.Kinds, k => k.Kind == "deployments");

        // One of two pages closes: deployments stay watched. The other closes: its lease goes back to the watch that runs
        // now, which stops watching deployments.
        await overview.DisposeAsync();
        await overview.DisposeAsync();
        Assert.Contains(_store.Cluster("delta")!.Kinds, k => k.Kind == "deployments");
        Assert.NotEqual(0, _store.Count(FleetKind.Deployment, "delta"));
        await lease.DisposeAsync();
        Assert.Equal(0, _store.Count(FleetKind.Deployment, "delta"));
        Assert.DoesNotContain(_store.Cluster("delta")!.Kinds, k => k.Kind == "deployments");
    }

    [Fact]
    public async Task A_lease_released_after_its_cluster_was_removed_is_harmless_and_a_new_registration_starts_clean()
    {
        var lease = await _watcher.DemandAsync("delta", WatchedKinds.Deployments);
        await Eventually.WaitForAsync(() => _store.Count(FleetKind.Deployment, "delta") > 0, Settle, "the deployments in the store");

        await _watcher.ReconcileAsync([]);
        await lease.DisposeAsync();

        await _watcher.ReconcileAsync([Watched(new ClusterCredentials { Token = Cluster.Token, CertificateAuthorityPem = Cluster.CertificateAuthorityPem })]);
        await Eventually.WaitForAsync(() => _store.Cluster("delta")?.Health == ClusterHealth.Synced, Settle, "delta to be Synced again");
        Assert.DoesNotContain(_store.Cluster("delta")!.Kinds, k => k.Kind == "deployments");
        Assert.Equal(0, _store.Count(FleetKind.Deployment, "delta"));
    }

    private WatchedCluster Watched(ClusterCredentials credentials) =>
        new("delta", "Delta", new Dictionary<string, string>(), Cluster.BaseUrl, credentials);

    private sealed class NoSource : IWatchedClusterSource
    {
        public Task<IReadOnlyList<WatchedCluster>> LoadAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<WatchedCluster>>([]);

        public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
