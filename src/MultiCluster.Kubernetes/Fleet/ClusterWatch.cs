using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>
/// Everything the dashboard watches of one cluster: one informer per kind, and the cluster's health worked
/// out from theirs and published to the store as the cluster's <see cref="ClusterSummary"/>.
/// </summary>
public sealed partial class ClusterWatch : IInformerObserver, IAsyncDisposable
{
    private static readonly TimeSpan ContactResolution = TimeSpan.FromSeconds(5);

    private readonly FleetStateStore _store;
    private readonly FleetProjections _projections;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly k8s.Kubernetes _client;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private readonly Dictionary<string, KindWatchStatus> _kinds = [];
    private readonly Lock _gate = new();
    private readonly List<Task> _running = [];
    private readonly Dictionary<string, OnDemandWatch> _onDemand = [];
    private WatchedCluster _cluster;
    private string? _version;
    private long _lastContactTicks;
    private long _publishedContactTicks;

    /// <param name="addresses">Which addresses the cluster may have; <see cref="AddressGuard.Default"/> when not given.</param>
    public ClusterWatch(WatchedCluster cluster, FleetStateStore store, FleetProjections projections, InformerOptions options, TimeProvider time, ILoggerFactory loggers,
        AddressGuard? addresses = null)
    {
        _cluster = cluster;
        _store = store;
        _projections = projections;
        _options = options;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ClusterWatch>();
        _version = cluster.KubernetesVersion;
        _client = KubernetesClients.Create(cluster.Server, cluster.Credentials, addresses: addresses, cluster: cluster.Name);
    }

    public WatchedCluster Cluster => _cluster;

    /// <summary>The client the informers use, for the engine's writes to this cluster; disposed when the watch stops.</summary>
    public IKubernetes Client => _client;

    public void Start()
    {
        Publish();
        Run(WatchedKinds.Namespaces);
        Run(WatchedKinds.Nodes);
        Run(WatchedKinds.Pods);
        Run(WatchedKinds.Events);
        Run(WatchedKinds.ResourceQuotas);
        Run(WatchedKinds.LimitRanges);
        Run(WatchedKinds.RoleBindings);
        Run(WatchedKinds.ClusterRoleBindings);
        Run(WatchedKinds.ClusterRoles);
        Run(WatchedKinds.Roles);
        Run(WatchedKinds.VirtualClusterSets);
        Run(WatchedKinds.VirtualClusterDeployments);
        _running.Add(Task.Run(() => ReadVersionAsync(_stopping.Token)));
    }

    /// <summary>The registry changed what the pages show (display name, labels); the watch itself goes on.</summary>
    public void Update(WatchedCluster cluster)
    {
        _cluster = cluster;
        Publish();
    }

    public void StatusChanged(KindWatchStatus status)
    {
        lock (_gate)
        {
            // A kind no page needs any more may still report while it stops: it is no longer part of the health.
            if (!_kinds.ContainsKey(status.Kind))
            {
                return;
            }
            _kinds[status.Kind] = status;
        }
        Publish();
    }

    /// <summary>
    /// Starts watching <paramref name="kind"/> of this cluster (a page needs it); nothing when it is watched already
    /// or the watch has stopped. <see cref="FleetWatcher"/> counts the pages' leases and calls this and
    /// <see cref="StopOnDemandAsync"/>, so what pages hold outlives this watch when a credential edit replaces it.
    /// </summary>
    public void StartOnDemand<T, TList>(WatchedKind<T, TList> kind)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || _onDemand.ContainsKey(kind.Name))
            {
                return;
            }
            var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            _onDemand[kind.Name] = new OnDemandWatch(stop, Run(kind, stop.Token));
        }
    }

    /// <summary>Stops watching an on-demand kind (no page needs it any more); its summaries leave the store.</summary>
    public async Task StopOnDemandAsync(string name, FleetKind kind)
    {
        OnDemandWatch? watch;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || !_onDemand.Remove(name, out watch))
            {
                return;
            }
            _kinds.Remove(name);
        }
        await watch.Stop.CancelAsync();
        await watch.Running;
        watch.Stop.Dispose();
        _store.Apply(_store.All<IFleetObject>(kind, _cluster.Name).Select(o => FleetChange.Delete(kind, o.Cluster, o.Key)).ToList());
        Publish();
    }

    public IReadOnlyCollection<string> OnDemandKinds
    {
        get
        {
            lock (_gate)
            {
                return [.. _onDemand.Keys];
            }
        }
    }

    public void Contacted()
    {
        var now = _time.GetUtcNow().UtcTicks;
        Interlocked.Exchange(ref _lastContactTicks, now);
        if (now - Interlocked.Read(ref _publishedContactTicks) > ContactResolution.Ticks)
        {
            Publish();
        }
    }

    private Task Run<T, TList>(WatchedKind<T, TList> kind, CancellationToken? stop = null)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        lock (_gate)
        {
            _kinds[kind.Name] = new KindWatchStatus(kind.Name, WatchState.Listing, null);
        }
        var informer = new Informer<T, TList>(_cluster.Name, _cluster.Server, _client, kind, _store, _projections, this, _options, _time,
            _loggers.CreateLogger("MultiCluster.Kubernetes.Informers.Informer"));
        var token = stop ?? _stopping.Token;
        var running = Task.Run(() => informer.RunAsync(token));
        if (stop is null)
        {
            _running.Add(running);
        }
        return running;
    }

    private sealed class OnDemandWatch(CancellationTokenSource stop, Task running)
    {
        public CancellationTokenSource Stop => stop;

        public Task Running => running;

        public int Leases { get; set; }
    }

    private async Task ReadVersionAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                _version = (await _client.Version.GetCodeAsync(cancellationToken)).GitVersion;
                Publish();
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogVersionUnknown(_logger, _cluster.Name, ex.GetType().Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Publish()
    {
        // Read and applied under one lock: a summary built from an older reading never lands after a newer one.
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            KindWatchStatus[] kinds = [.. _kinds.Values.OrderBy(k => k.Kind, StringComparer.Ordinal)];
            var contact = Interlocked.Read(ref _lastContactTicks);
            Interlocked.Exchange(ref _publishedContactTicks, contact);
            var cluster = _cluster;
            _store.Apply(FleetChange.Upsert(new ClusterSummary
            {
                Cluster = cluster.Name,
                DisplayName = cluster.DisplayName,
                Labels = cluster.Labels,
                KubernetesVersion = _version,
                Health = ClusterHealthRules.Combine(kinds),
                Problem = ClusterHealthRules.Problem(kinds),
                LastContact = contact == 0 ? null : new DateTimeOffset(contact, TimeSpan.Zero),
                Kinds = kinds,
                InsecureSkipTlsVerify = cluster.Credentials.InsecureSkipTlsVerify,
            }));
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The host's stop and a reconcile pass (a registration changed meanwhile) may both stop one watch.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        OnDemandWatch[] onDemand;
        lock (_gate)
        {
            onDemand = [.. _onDemand.Values];
        }
        try
        {
            await Task.WhenAll([.. _running, .. onDemand.Select(w => w.Running)]);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var watch in onDemand)
        {
            watch.Stop.Dispose();
        }
        _client.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Could not read the Kubernetes version of cluster {Cluster} yet ({Error})")]
    private static partial void LogVersionUnknown(ILogger logger, string cluster, string error);
}
