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
    ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, ClusterWatch> _watches = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<FleetWatcher>();
    private readonly SemaphoreSlim _reconciling = new(1, 1);

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
            foreach (var cluster in clusters)
            {
                lock (_watches)
                {
                    if (_watches.ContainsKey(cluster.Name))
                    {
                        continue;
                    }
                }
                var watch = new ClusterWatch(cluster, store, projections, options, time, loggers);
                lock (_watches)
                {
                    _watches[cluster.Name] = watch;
                }
                LogStarted(_logger, cluster.Name, cluster.Server);
                watch.Start();
            }
        }
        finally
        {
            _reconciling.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var (name, watch) in Snapshot())
        {
            await StopAsync(name, watch);
        }
    }

    private async Task StopAsync(string name, ClusterWatch watch)
    {
        lock (_watches)
        {
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

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "Watching cluster {Cluster} at {Server}")]
    private static partial void LogStarted(ILogger logger, string cluster, Uri server);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "Stopped watching cluster {Cluster}")]
    private static partial void LogStopped(ILogger logger, string cluster);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Could not read the registered clusters; watching goes on with what was known")]
    private static partial void LogLoadFailed(ILogger logger, Exception ex);
}
