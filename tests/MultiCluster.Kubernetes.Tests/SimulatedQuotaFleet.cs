using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>
/// Simulated clusters watched into a fleet store with the quota engine (and others the test runs) writing to them over HTTP: the engine tests'
/// world. Clusters are labelled as given; the engine can be stopped and started again (a restart of the dashboard).
/// </summary>
public sealed class SimulatedQuotaFleet : IAsyncDisposable
{
    private readonly Clusters _clusters = new();
    private readonly List<ReconcileEngine> _engines = [];
    private SimulatorHost _simulator = default!;
    private FleetWatcher _watcher = default!;

    private SimulatedQuotaFleet()
    {
    }

    public FleetStateStore Store { get; } = new(TimeProvider.System);

    public QuotaPolicySource Policies { get; private set; } = new();

    public ReconcileEngine Engine { get; private set; } = default!;

    public RecordingJournal Journal { get; } = new();

    public SimulatedCluster this[string name] => _simulator[name];

    public IReadOnlyList<PolicyTarget> Targets => [.. Store.All<PolicyTarget>(FleetKind.PolicyTarget)];

    public PolicyTarget? Target(string cluster, string policy, string ns) =>
        Store.Get<PolicyTarget>(FleetKind.PolicyTarget, cluster, PolicyTarget.KeyOf(QuotaPolicy.OwnerKind, policy, ns));

    /// <param name="clusters">Each cluster's name and labels.</param>
    public static async Task<SimulatedQuotaFleet> StartAsync(params (string Name, string Labels)[] clusters)
    {
        var fleet = new SimulatedQuotaFleet();
        fleet._simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters = [.. clusters.Select(c => new ClusterOptions { Name = c.Name, Nodes = 1, Pods = 0 })],
        });
        fleet._clusters.Set([.. clusters.Select(c => fleet.Watched(c.Name, c.Labels))]);
        var options = new InformerOptions { InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(1) };
        fleet._watcher = new FleetWatcher(fleet._clusters, fleet.Store, new FleetProjections(new StringPool()), options, TimeProvider.System, NullLoggerFactory.Instance);
        await fleet._watcher.StartAsync(CancellationToken.None);
        foreach (var (name, _) in clusters)
        {
            await Eventually.WaitForAsync(() => fleet.Store.Cluster(name)?.Health == ClusterHealth.Synced, TimeSpan.FromSeconds(20), $"{name} to be Synced");
        }
        await fleet.StartEngineAsync();
        return fleet;
    }

    /// <summary>Starts the engine (again, as a restarted dashboard would: nothing remembered, the policies read anew).</summary>
    /// <param name="fence">Whether this engine's replica leads (always, unless given).</param>
    /// <param name="relay">Where a follower sends the repairs asked of it.</param>
    public async Task StartEngineAsync(IReadOnlyList<QuotaPolicy>? policies = null, IWriteFence? fence = null, IRepairRelay? relay = null)
    {
        var known = policies ?? Policies.Policies;
        Policies = new QuotaPolicySource();
        Policies.Set(known);
        Engine = new ReconcileEngine(Policies, Store, _watcher, Journal,
            new ReconcileOptions { InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(2), JournalInterval = TimeSpan.FromMilliseconds(200) },
            TimeProvider.System, NullLogger<ReconcileEngine>.Instance, fence, relay);
        await Engine.StartAsync(CancellationToken.None);
    }

    public async Task StopEngineAsync()
    {
        await Engine.StopAsync(CancellationToken.None);
        Engine.Dispose();
    }

    /// <summary>Runs another engine over the same store (access grants, role templates) until the fleet is disposed.</summary>
    public async Task<ReconcileEngine> RunEngineAsync(IReconcileSource source)
    {
        var engine = new ReconcileEngine(source, Store, _watcher, Journal,
            new ReconcileOptions { InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(2), JournalInterval = TimeSpan.FromMilliseconds(200) },
            TimeProvider.System, NullLogger<ReconcileEngine>.Instance);
        await engine.StartAsync(CancellationToken.None);
        _engines.Add(engine);
        return engine;
    }

    public PolicyTarget? Target(string cluster, string ownerKind, string owner, string? ns) =>
        Store.Get<PolicyTarget>(FleetKind.PolicyTarget, cluster, PolicyTarget.KeyOf(ownerKind, owner, ns));

    /// <summary>
    /// Registers the clusters again with new labels, or credentials (<paramref name="token"/>), as an edit in the registry
    /// would; returns once the watcher has acted on it: a watch with other credentials replaced (the old one stopped, its
    /// cluster gone from the store until the new one lists), so what the store says of the cluster after is the new watch's.
    /// </summary>
    public async Task RelabelAsync(string cluster, string labels, string? token = null)
    {
        _clusters.Set([.. _clusters.Current.Select(c => c.Name == cluster ? Watched(cluster, labels, token) : c)]);
        await _watcher.ReconcileAsync(_clusters.Current);
    }

    public async Task<V1Namespace> CreateNamespaceAsync(string cluster, string name, string labels = "")
    {
        using var client = Client(cluster);
        return await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>(ClusterLabels.Parse(labels).Labels) } });
    }

    public k8s.Kubernetes Client(string cluster) => new(_simulator[cluster].CreateClientConfiguration());

    /// <summary>A kubeconfig for kubectl, one context per cluster, as the cluster admin.</summary>
    public void WriteKubeconfig(string path) => _simulator.WriteKubeconfig(path);

    /// <summary>Waits until the target's row says <paramref name="status"/>.</summary>
    public Task WaitForAsync(string cluster, string policy, string ns, TargetStatus status, TimeSpan? timeout = null) =>
        Eventually.WaitForAsync(() => Target(cluster, policy, ns)?.Status == status, timeout ?? TimeSpan.FromSeconds(15),
            () => $"{cluster}/{ns} of {policy} to be {status} (it is {Target(cluster, policy, ns)?.Status.ToString() ?? "not a target"}: {Target(cluster, policy, ns)?.Message})");

    public async ValueTask DisposeAsync()
    {
        await StopEngineAsync();
        foreach (var engine in _engines)
        {
            await engine.StopAsync(CancellationToken.None);
            engine.Dispose();
        }
        await _watcher.StopAsync(CancellationToken.None);
        Store.Dispose();
        await _simulator.DisposeAsync();
    }

    private WatchedCluster Watched(string name, string labels, string? token = null) =>
        new(name, name, ClusterLabels.Parse(labels).Labels, _simulator[name].BaseUrl,
            new ClusterCredentials { Token = token ?? _simulator[name].Token, CertificateAuthorityPem = _simulator[name].CertificateAuthorityPem });

    private sealed class Clusters : IWatchedClusterSource
    {
        private readonly RegistryLikeChanges _changes = new();

        public IReadOnlyList<WatchedCluster> Current { get; private set; } = [];

        public void Set(IReadOnlyList<WatchedCluster> clusters)
        {
            Current = clusters;
            _changes.Notify();
        }

        public Task<IReadOnlyList<WatchedCluster>> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(Current);

        public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => _changes.WaitAsync(timeout, cancellationToken);
    }

    private sealed class RegistryLikeChanges
    {
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Notify() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                await Volatile.Read(ref _changed).Task.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }
    }
}

/// <summary>The engine's journal, kept in memory for assertions.</summary>
public sealed class RecordingJournal : IReconcileJournal
{
    private readonly List<ReconcileSummary> _entries = [];

    public IReadOnlyList<ReconcileSummary> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public Task RecordAsync(IReadOnlyList<ReconcileSummary> summaries, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            _entries.AddRange(summaries);
        }
        return Task.CompletedTask;
    }
}
