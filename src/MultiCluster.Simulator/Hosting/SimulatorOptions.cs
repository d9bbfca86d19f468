using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Simulator.Auth;

namespace MultiCluster.Simulator.Hosting;

/// <summary>What one simulator process serves: its clusters and the behaviour they share.</summary>
public sealed class SimulatorOptions
{
    public IList<ClusterOptions> Clusters { get; init; } = [];

    /// <summary>HTTPS with a generated CA (the default, like a real cluster); false serves plain HTTP.</summary>
    public bool UseHttps { get; init; } = true;

    /// <summary>A CA (certificate and private key, PEM) to serve with instead of a new one; clients that trust it keep working across runs.</summary>
    public (string CertificatePem, string KeyPem)? CertificateAuthority { get; init; }

    /// <summary>The first cluster's port; each further cluster listens on the next one. 0 picks free ports.</summary>
    public int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>How far back a watch can resume; older resourceVersions get 410 Expired.</summary>
    public TimeSpan WatchHistoryWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many changes are kept per cluster, whatever their age.</summary>
    public int WatchHistoryCapacity { get; init; } = 50_000;

    /// <summary>How often a watch that asked for bookmarks gets one (kube-apiserver: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How quickly the simulated scheduler, kubelets and controllers react.</summary>
    public TimeSpan ControllerDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often each node renews its Lease in kube-node-lease (kubelet: every 10 s by default).</summary>
    public TimeSpan NodeHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a node writes its status when nothing in it changed (kubelet's nodeStatusReportFrequency: 5 minutes
    /// by default). A change (a fault) is written at once. At 15,000 nodes a status write every heartbeat would be
    /// 1,500 node updates a second for every watcher of nodes; real kubelets spare the API server exactly that.
    /// </summary>
    public TimeSpan NodeStatusReportInterval { get; init; } = TimeSpan.FromMinutes(5);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the simulator logs its own failures (none by default).</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}

/// <summary>One simulated cluster: its name, version, credentials and seed.</summary>
public sealed class ClusterOptions
{
    public required string Name { get; init; }

    public string KubernetesVersion { get; init; } = "v1.32.2";

    /// <summary>The bearer token clients use; generated when not given.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Further users behind bearer tokens, as kube-apiserver's --token-auth-file lists them (token, name, uid, groups).
    /// They may do what RBAC grants them (and everything in system:masters); more can be added with SimulatedCluster.AddUser.
    /// </summary>
    public IList<TokenUser> Users { get; init; } = [];

    public int Nodes { get; init; } = 3;

    /// <summary>Pods to seed, spread over Deployments in a few namespaces.</summary>
    public int Pods { get; init; }

    public IList<string> Namespaces { get; init; } = [];

    /// <summary>Seeds the random choices of names and spread, so two runs look alike.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Pod creates, deletes and status changes per second.</summary>
    public double ChurnPerSecond { get; init; }
}
