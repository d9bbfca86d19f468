using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.VirtualClusters;

/// <summary>
/// A vCluster on a simulated host: a nested simulated cluster (its own API server on a loopback port, store and workload
/// controllers, no nodes of its own) whose pods the syncer runs on the host. Paused, it stops serving but keeps its store,
/// as the data volume would; resumed, it serves again on the same port.
/// </summary>
public sealed class SimulatedVirtualCluster : IAsyncDisposable
{
    private readonly X509Certificate2? _certificate;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    private SimulatedVirtualCluster(SimulatedCluster host, string ns, string name, VirtualClusterConfig config)
    {
        Host = host;
        Namespace = ns;
        Name = name;
        Config = config;
        var hostOptions = host.Options;
        // Whatever address the host serves on, a vCluster only listens on loopback.
        var options = new SimulatorOptions
        {
            UseHttps = hostOptions.UseHttps,
            Host = "127.0.0.1",
            WatchHistoryWindow = hostOptions.WatchHistoryWindow,
            WatchHistoryCapacity = hostOptions.WatchHistoryCapacity,
            BookmarkInterval = hostOptions.BookmarkInterval,
            ControllerDelay = hostOptions.ControllerDelay,
            NodeHeartbeatInterval = hostOptions.NodeHeartbeatInterval,
            NodeStatusReportInterval = hostOptions.NodeStatusReportInterval,
            TimeProvider = hostOptions.TimeProvider,
            LoggerFactory = hostOptions.LoggerFactory,
        };
        _certificate = host.Authority?.IssueServerCertificate(options.Host, ["localhost", name, $"{name}.{ns}", $"{name}.{ns}.svc"]);
        Cluster = new SimulatedCluster(
            new ClusterOptions { Name = name, Nodes = 0, Pods = 0, KubernetesVersion = config.KubernetesVersion ?? host.KubernetesVersion },
            options, host.Authority, _certificate, port: 0, podsRunOnHost: true);
        Syncer = new PodSyncer(this);
    }

    /// <summary>The host namespace the vCluster runs in.</summary>
    public string Namespace { get; }

    public string Name { get; }

    /// <summary>The nested cluster: its BaseUrl, admin Token, CertificateAuthorityPem, client certificate and store.</summary>
    public SimulatedCluster Cluster { get; }

    /// <summary>Whether its API server accepts connections (false while paused or while the vCluster's pod is not Ready).</summary>
    public bool IsServing => Cluster.IsListening;

    /// <summary>The loopback port the nested API server listens on (0 before it first starts); kept across pause and resume.</summary>
    public int Port => IsStarted ? Cluster.BaseUrl.Port : 0;

    /// <summary>The server URL a client uses: https://127.0.0.1:&lt;port&gt;, the address the Service's load balancer ingress names.</summary>
    public Uri ServerUrl => new($"{Cluster.BaseUrl.Scheme}://127.0.0.1:{Port}");

    internal SimulatedCluster Host { get; }

    internal VirtualClusterConfig Config { get; }

    internal PodSyncer Syncer { get; }

    internal bool IsStarted { get; private set; }

    internal static SimulatedVirtualCluster Create(SimulatedCluster host, string ns, string name, VirtualClusterConfig config) => new(host, ns, name, config);

    /// <summary>Starts serving (the first time also its controllers), then syncing its pods to the host.</summary>
    internal async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!IsStarted)
            {
                await Cluster.StartAsync();
            }
            else
            {
                await Cluster.StartListeningAsync();
            }
            IsStarted = true;
            Syncer.Start();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops syncing and serving; the store is kept.</summary>
    internal async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await Syncer.StopAsync();
            await Cluster.StopListeningAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A synced pod changed on the host (called from the host's controller loop).</summary>
    internal void HostPodChanged(JsonObject hostPod) => Syncer.HostPodChanged(hostPod);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            await Syncer.StopAsync();
            await Cluster.DisposeAsync();
            _certificate?.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }
}
