using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;
using MultiCluster.Simulator.VirtualClusters;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// The control plane and kubelets of one cluster, driven by the store's change feed on one loop:
/// each change marks objects dirty, and after a short delay every dirty object is reconciled once.
/// </summary>
internal sealed class ClusterControllers : IAsyncDisposable
{
    private const int MaxPerPass = 1000;
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Per-object backoff after a refusal: 1 s doubling to 30 s (kube-controller-manager's goes from 5 ms to 1000 s;
    /// capped lower here so a raised quota is picked up within half a minute). A change to the object retries at once.
    /// </summary>
    private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(30);
    private readonly SimulatedCluster _cluster;
    private readonly ClusterOptions _options;
    private readonly ClusterStore _store;
    private readonly OwnerIndex _owners = new();
    private readonly Scheduler _scheduler;
    private readonly Kubelet _kubelet;
    private readonly ReplicaSetController _replicaSets;
    private readonly DeploymentController _deployments;
    private readonly StatefulSetController _statefulSets;
    private readonly NamespaceController _namespaces;
    private readonly QuotaController _quotas;
    private readonly HashSet<string> _quotaNamespaces = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<(ResourceType Type, string Key)> _dirty = [];
    private readonly HashSet<(ResourceType Type, string Key)> _retry = [];
    /// <summary>Objects whose reconcile admission refused (a quota, a LimitRange): failures so far and when to try again.</summary>
    private readonly Dictionary<(ResourceType Type, string Key), (int Failures, DateTimeOffset Due)> _backoff = [];
    private bool _clusterRolesChanged;
    private WatchSubscription? _feed;
    private Task? _loop;

    public ClusterControllers(SimulatedCluster cluster, ClusterOptions options)
    {
        _cluster = cluster;
        _options = options;
        _store = cluster.Store;
        Events = new EventRecorder(_store);
        Nodes = new NodeHeartbeats(_store, options.KubernetesVersion);
        _scheduler = new Scheduler(_store, Events);
        _kubelet = new Kubelet(_store, Events);
        _replicaSets = new ReplicaSetController(_store, _owners, Events);
        _deployments = new DeploymentController(_store, _owners, Events);
        _statefulSets = new StatefulSetController(_store, _owners, Events);
        _namespaces = new NamespaceController(_store, _owners);
        _quotas = new QuotaController(_store);
        VirtualClusters = new VirtualClusterController(cluster);
    }

    public NodeHeartbeats Nodes { get; }

    public EventRecorder Events { get; }

    public VirtualClusterController VirtualClusters { get; }

    public void Start()
    {
        _feed = _store.Watch(null, null, null, capacity: 0);
        ClusterSeeder.Seed(_store, _options);
        Nodes.HeartbeatAll();
        VirtualClusters.Start();
        _loop = SimulationThreads.Run(() => RunAsync(_stop.Token));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var nextTick = _store.Time.GetUtcNow() + TickInterval;
        var nextHeartbeat = _store.Time.GetUtcNow() + _cluster.Options.NodeHeartbeatInterval;
        var statusSlices = Math.Max(1, (int)Math.Round(_cluster.Options.NodeStatusReportInterval / _cluster.Options.NodeHeartbeatInterval));
        var heartbeats = 0;
        Task<bool>? waiting = null;
        while (!stop.IsCancellationRequested)
        {
            waiting ??= _feed!.Events.WaitToReadAsync(stop).AsTask();
            var untilTick = _dirty.Count > 0 ? TimeSpan.Zero : nextTick - _store.Time.GetUtcNow();
            try
            {
                if (untilTick > TimeSpan.Zero)
                {
                    await Task.WhenAny(waiting, Task.Delay(untilTick, _store.Time, stop));
                }
                else
                {
                    // Work is left from the last bounded pass: go to the back of the simulation threads' queue, so a
                    // cluster seeding thousands of pods takes turns with the others instead of holding a thread.
                    await Task.Yield();
                }
                if (waiting.IsCompleted)
                {
                    if (!await waiting)
                    {
                        return;
                    }
                    waiting = null;
                    await Task.Delay(_cluster.Options.ControllerDelay, _store.Time, stop);
                    Drain();
                }
                var now = _store.Time.GetUtcNow();
                if (now >= nextTick)
                {
                    nextTick = now + TickInterval;
                    _kubelet.Tick();
                    foreach (var key in _scheduler.Unschedulable)
                    {
                        _dirty.Add((ResourceCatalog.Pods, key));
                    }
                    _dirty.UnionWith(_retry);
                    _retry.Clear();
                    foreach (var (key, (failures, _)) in _backoff.Where(b => b.Value.Due <= now).ToList())
                    {
                        _dirty.Add(key);
                        _backoff[key] = (failures, DateTimeOffset.MaxValue);
                    }
                }
                if (now >= nextHeartbeat)
                {
                    nextHeartbeat = now + _cluster.Options.NodeHeartbeatInterval;
                    Nodes.HeartbeatAll(statusSlices, ++heartbeats);
                }
                Reconcile();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Api.ApiException or InvalidOperationException or KeyNotFoundException)
            {
                // A reconcile raced a client's change; the next change or tick retries it.
                _cluster.Logger.ControllerPassFailed(_cluster.Name, e.Message);
            }
        }
    }

    private void Drain()
    {
        while (_feed!.Events.TryRead(out var change))
        {
            var obj = change.Object;
            // Observers decide on the stored facts and parse only what they must: at scale, parsing is most of a controller's work.
            _owners.Observe(change);
            VirtualClusters.Observe(change, null);
            _scheduler.Observe(change);
            _clusterRolesChanged |= obj.Type == ResourceCatalog.ClusterRoles;
            if (QuotaController.Affects(obj.Type) && obj.Namespace.Length > 0)
            {
                _quotaNamespaces.Add(obj.Namespace);
            }
            if (obj.Type == ResourceCatalog.Events || obj.Type == ResourceCatalog.Nodes)
            {
                continue;
            }
            if (change.Type == WatchEvent.Deleted)
            {
                if (obj.Type == ResourceCatalog.Deployments || obj.Type == ResourceCatalog.ReplicaSets || obj.Type == ResourceCatalog.StatefulSets)
                {
                    _namespaces.CollectGarbage(obj);
                }
                if (obj.Type == ResourceCatalog.ReplicaSets)
                {
                    _replicaSets.Forget(obj.Key);
                }
                else if (obj.Type == ResourceCatalog.Deployments)
                {
                    _deployments.Forget(obj.Key);
                }
            }
            else
            {
                _dirty.Add((obj.Type, obj.Key));
            }
            if (obj.Type == ResourceCatalog.Pods || obj.Type == ResourceCatalog.ReplicaSets)
            {
                if (change.Type == WatchEvent.Deleted && obj.Type == ResourceCatalog.Pods)
                {
                    foreach (var key in _scheduler.Unschedulable)
                    {
                        _dirty.Add((ResourceCatalog.Pods, key));
                    }
                }
                if (obj.Controller is { } owner &&
                    ResourceCatalog.All.FirstOrDefault(t => t.Kind == owner.Kind && t.Group == "apps") is { } ownerType)
                {
                    _dirty.Add((ownerType, StoredObject.KeyOf(obj.Namespace, owner.Name)));
                }
            }
        }
    }

    private void Reconcile()
    {
        foreach (var ns in _quotaNamespaces)
        {
            _quotas.Sync(ns);
        }
        _quotaNamespaces.Clear();
        if (_clusterRolesChanged)
        {
            // Its own rewrites come back as changes, so roles aggregating aggregated roles settle over the next passes.
            ClusterRoleAggregation.Sync(_store);
            _clusterRolesChanged = false;
        }

        var order = new[] { ResourceCatalog.Namespaces, ResourceCatalog.Deployments, ResourceCatalog.StatefulSets, ResourceCatalog.ReplicaSets, ResourceCatalog.Pods };
        // A bounded pass keeps one busy cluster from holding a thread-pool thread (and its siblings) for long.
        var batch = _dirty.OrderBy(d => Array.IndexOf(order, d.Type)).Take(MaxPerPass).ToList();
        _dirty.ExceptWith(batch);
        foreach (var type in order)
        {
            foreach (var (_, key) in batch.Where(d => d.Type == type))
            {
                var slash = key.IndexOf('/');
                var stored = slash < 0 ? _store.Get(type, "", key) : _store.Get(type, key[..slash], key[(slash + 1)..]);
                if (stored is null)
                {
                    _backoff.Remove((type, key));
                    continue;
                }
                try
                {
                    Sync(stored);
                    _backoff.Remove((type, key));
                }
                catch (Api.ApiException e) when (e.Code is 403 or 422)
                {
                    // Refused by admission or validation (an exceeded quota, a LimitRange, a terminating namespace): retry after a backoff.
                    var failures = _backoff.GetValueOrDefault((type, key)).Failures + 1;
                    var delay = TimeSpan.FromTicks(Math.Min(BackoffCap.Ticks, BackoffBase.Ticks << Math.Min(failures - 1, 30)));
                    _backoff[(type, key)] = (failures, _store.Time.GetUtcNow() + delay);
                }
                catch (Exception e) when (e is Api.ApiException or InvalidOperationException or KeyNotFoundException)
                {
                    // A reconcile raced a client's change: try this object again on the next tick.
                    _retry.Add((type, key));
                    _cluster.Logger.ReconcileFailed(_cluster.Name, type.Kind, key, e.Message);
                }
            }
        }
    }

    private void Sync(StoredObject stored)
    {
        if (stored.Type == ResourceCatalog.Namespaces)
        {
            _namespaces.Sync(stored);
        }
        else if (stored.Type == ResourceCatalog.Deployments)
        {
            _deployments.Sync(stored);
        }
        else if (stored.Type == ResourceCatalog.StatefulSets)
        {
            _statefulSets.Sync(stored);
        }
        else if (stored.Type == ResourceCatalog.ReplicaSets)
        {
            _replicaSets.Sync(stored);
        }
        else if (_cluster.PodsRunOnHost)
        {
            // A vCluster's syncer runs its pods on the host (PodSyncer); all that is left here is to finish a deletion.
            if (stored.Terminating)
            {
                _kubelet.Sync(stored);
            }
        }
        else if (stored.Fields.GetValueOrDefault("spec.nodeName") is not { Length: > 0 } && !stored.Terminating)
        {
            _scheduler.Schedule(stored);
        }
        else
        {
            _kubelet.Sync(stored);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await VirtualClusters.DisposeAsync();
        await _stop.CancelAsync();
        _feed?.Dispose();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _stop.Dispose();
    }
}
