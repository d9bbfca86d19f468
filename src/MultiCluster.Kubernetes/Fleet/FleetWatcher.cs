using MultiCluster.Kubernetes.Clients;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>
/// Keeps one <see cref="ClusterWatch"/> running per registered cluster: starts watching a cluster when it
/// is registered, restarts when its server or credentials change, and stops (forgetting its state) when
/// it is removed.
/// </summary>
public sealed partial class FleetWatcher(
    IWatchedClusterSource source,
    FleetStateStore store,
    FleetProjections projections,
    InformerOptions options,
    TimeProvider time,
    ILoggerFactory loggers,
    AddressGuard? addresses = null) : BackgroundService, Reconcile.IClusterClients
{
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, ClusterWatch> _watches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _paused = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<FleetWatcher>();
    private readonly SemaphoreSlim _reconciling = new(1, 1);

    // What open pages need watched beyond the standard kinds, per cluster: kept here rather than on a ClusterWatch, so a
    // watch replaced after a credential edit picks them up and a lease released later goes to the watch that runs then.
    private readonly Dictionary<string, Dictionary<string, Demand>> _demands = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _demanding = new(1, 1);

    public IReadOnlyCollection<string> Watching
    {
        get
        {
            lock (_watches)
            {
                return [.. _watches.Keys];
            }
        }
    }

    /// <summary>The client of a watched cluster (for the engine's writes), or null when it is not watched.</summary>
    public k8s.IKubernetes? Client(string cluster)
    {
        lock (_watches)
        {
            return _watches.TryGetValue(cluster, out var watch) ? watch.Client : null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(await source.LoadAsync(stoppingToken));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogLoadFailed(_logger, ex);
            }
            try
            {
                await source.WaitForChangeAsync(Resync, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Brings the running watches in line with <paramref name="clusters"/>.</summary>
    public async Task ReconcileAsync(IReadOnlyList<WatchedCluster> clusters)
    {
        await _reconciling.WaitAsync();
        try
        {
            var wanted = clusters.ToDictionary(c => c.Name, StringComparer.Ordinal);
            foreach (var (name, watch) in Snapshot())
            {
                if (!wanted.TryGetValue(name, out var cluster) || !cluster.SameConnection(watch.Cluster))
                {
                    await StopAsync(name, watch);
                }
                else
                {
                    watch.Update(cluster);
                }
            }
            foreach (var name in _paused.Where(n => !wanted.TryGetValue(n, out var c) || c.Paused is null).ToList())
            {
                _paused.Remove(name);
                store.RemoveCluster(name);
            }
            var started = new List<string>();
            foreach (var cluster in clusters)
            {
                if (cluster.Paused is not null)
                {
                    PublishPaused(cluster);
                    continue;
                }
                lock (_watches)
                {
                    if (_watches.ContainsKey(cluster.Name))
                    {
                        continue;
                    }
                }
                var watch = new ClusterWatch(cluster, store, projections, options, time, loggers, addresses);
                lock (_watches)
                {
                    _watches[cluster.Name] = watch;
                }
                LogStarted(_logger, cluster.Name, cluster.Server);
                watch.Start();
                await StartDemandedAsync(watch);
                started.Add(cluster.Name);
            }
            if (started.Count > 0)
            {
                _ = Task.Run(() => LogFirstListsAsync(started));
            }
        }
        finally
        {
            _reconciling.Release();
        }
    }

    /// <summary>A paused cluster is not watched: what was known of it is forgotten, and it shows as Paused with the reason.</summary>
    private void PublishPaused(WatchedCluster cluster)
    {
        if (_paused.Add(cluster.Name))
        {
            store.RemoveCluster(cluster.Name);
            LogPaused(_logger, cluster.Name);
        }
        store.Apply(FleetChange.Upsert(new Core.Fleet.ClusterSummary
        {
            Cluster = cluster.Name,
            DisplayName = cluster.DisplayName,
            Labels = cluster.Labels,
            KubernetesVersion = cluster.KubernetesVersion,
            Health = Core.Fleet.ClusterHealth.Paused,
            Problem = cluster.Paused,
            InsecureSkipTlsVerify = cluster.Credentials.InsecureSkipTlsVerify,
        }));
    }

    /// <summary>
    /// Watches an on-demand kind (such as <see cref="WatchedKinds.Deployments"/>) of a cluster while the lease
    /// is held; a page takes one when it opens and disposes it when it closes. The lease is the fleet's, not one
    /// watch's: it holds across the watch being replaced, and releasing it after the cluster went away is harmless.
    /// </summary>
    public async Task<IAsyncDisposable> DemandAsync<T, TList>(string cluster, WatchedKind<T, TList> kind)
        where T : k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>
        where TList : k8s.Models.IItems<T>, k8s.Models.IMetadata<k8s.Models.V1ListMeta>
    {
        await _demanding.WaitAsync();
        try
        {
            if (!_demands.TryGetValue(cluster, out var kinds))
            {
                _demands[cluster] = kinds = new(StringComparer.Ordinal);
            }
            if (!kinds.TryGetValue(kind.Name, out var demand))
            {
                kinds[kind.Name] = demand = new Demand(kind.Kind, watch => watch.StartOnDemand(kind));
            }
            if (demand.Leases++ == 0)
            {
                Current(cluster)?.StartOnDemand(kind);
            }
        }
        finally
        {
            _demanding.Release();
        }
        return new Lease(() => ReleaseAsync(cluster, kind.Name));
    }

    private async ValueTask ReleaseAsync(string cluster, string name)
    {
        await _demanding.WaitAsync();
        try
        {
            if (!_demands.TryGetValue(cluster, out var kinds) || !kinds.TryGetValue(name, out var demand) || --demand.Leases > 0)
            {
                return;
            }
            kinds.Remove(name);
            if (kinds.Count == 0)
            {
                _demands.Remove(cluster);
            }
            if (Current(cluster) is { } watch)
            {
                await watch.StopOnDemandAsync(name, demand.Kind);
            }
        }
        finally
        {
            _demanding.Release();
        }
    }

    /// <summary>A watch just started takes on what open pages need of its cluster.</summary>
    private async Task StartDemandedAsync(ClusterWatch watch)
    {
        await _demanding.WaitAsync();
        try
        {
            if (_demands.TryGetValue(watch.Cluster.Name, out var kinds))
            {
                foreach (var demand in kinds.Values)
                {
                    demand.Start(watch);
                }
            }
        }
        finally
        {
            _demanding.Release();
        }
    }

    private ClusterWatch? Current(string cluster)
    {
        lock (_watches)
        {
            return _watches.GetValueOrDefault(cluster);
        }
    }

    /// <summary>
    /// Says what the first lists left behind: the managed heap and the collection pauses so far. No collection is
    /// forced: a blocking compaction after the first lists paused every thread for 106 ms at 30,000 pods (the standard
    /// scenario, 2026-12-05) and grows with the heap, past the 100 ms a live page may wait; the runtime's background
    /// collections return the list garbage (the dashboard's project sets no GCConserveMemory, whose compactions block).
    /// </summary>
    private async Task LogFirstListsAsync(IReadOnlyList<string> clusters)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromMinutes(5);
        while (clusters.Any(c => store.Cluster(c) is null or { Health: Core.Fleet.ClusterHealth.Connecting }) && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time);
        }
        var pauses = GC.GetGCMemoryInfo(GCKind.Any).PauseDurations;
        LogFirstLists(_logger, clusters.Count, GC.GetTotalMemory(false) / (1024 * 1024), GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes / (1024 * 1024), GC.CollectionCount(2),
            pauses.Length == 0 ? 0 : pauses.ToArray().Max().TotalMilliseconds, GC.GetTotalPauseDuration().TotalMilliseconds);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // A registry change may be reconciling the watches right now: stop them after it, never the same watch twice.
        await _reconciling.WaitAsync(CancellationToken.None);
        try
        {
            foreach (var (name, watch) in Snapshot())
            {
                await StopAsync(name, watch);
            }
        }
        finally
        {
            _reconciling.Release();
        }
    }

    private async Task StopAsync(string name, ClusterWatch watch)
    {
        lock (_watches)
        {
            if (!_watches.TryGetValue(name, out var current) || current != watch)
            {
                return;
            }
            _watches.Remove(name);
        }
        await watch.DisposeAsync();
        store.RemoveCluster(name);
        LogStopped(_logger, name);
    }

    private KeyValuePair<string, ClusterWatch>[] Snapshot()
    {
        lock (_watches)
        {
            return [.. _watches];
        }
    }

    private sealed class Demand(Core.Fleet.FleetKind kind, Action<ClusterWatch> start)
    {
        public Core.Fleet.FleetKind Kind => kind;

        public Action<ClusterWatch> Start => start;

        public int Leases { get; set; }
    }

    private sealed class Lease(Func<ValueTask> release) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "Watching cluster {Cluster} at {Server}")]
    private static partial void LogStarted(ILogger logger, string cluster, Uri server);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "Stopped watching cluster {Cluster}")]
    private static partial void LogStopped(ILogger logger, string cluster);

    [LoggerMessage(EventId = 2024, Level = LogLevel.Information, Message = "Cluster {Cluster} is paused: not watched until it resumes")]
    private static partial void LogPaused(ILogger logger, string cluster);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Information,
        Message = "First lists of {Count} clusters done; managed heap {Megabytes} MB ({CommittedMegabytes} MB committed), {FullCollections} full collections, last pause {PauseMs:0.0} ms, {TotalPauseMs:0} ms paused in all")]
    private static partial void LogFirstLists(ILogger logger, int count, long megabytes, long committedMegabytes, int fullCollections, double pauseMs, double totalPauseMs);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Could not read the registered clusters; watching goes on with what was known")]
    private static partial void LogLoadFailed(ILogger logger, Exception ex);
}
