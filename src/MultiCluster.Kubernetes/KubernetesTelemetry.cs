using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Kubernetes;

/// <summary>
/// What the Kubernetes side measures (<c>multicluster.kubernetes</c>): counters where things happen, gauges read from the
/// store and the engines when metrics are collected, and an activity per API call to a cluster. The host exports them
/// (OpenTelemetry, /metrics); nothing here knows of an exporter.
/// </summary>
public static class KubernetesTelemetry
{
    public const string Name = "multicluster.kubernetes";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name);

    internal static readonly Counter<long> Relists = Meter.CreateCounter<long>("multicluster.informer.relists", "{list}",
        "Full lists of one kind of one cluster: the first, and each after a 410 Gone or a failure.");

    internal static readonly Counter<long> WatchRestarts = Meter.CreateCounter<long>("multicluster.informer.watch_restarts", "{watch}",
        "Watches that ended and were started again, by reason: ended (the server's timeout), silent, broken, expired (410: a relist follows).");

    internal static readonly Counter<long> ReconcileWrites = Meter.CreateCounter<long>("multicluster.reconcile.writes", "{write}",
        "Objects the engine wrote or deleted, by owner kind (policy, grant, …), cluster and write (Created, Updated, Repaired, Deleted).");

    internal static readonly Counter<long> ReconcileErrors = Meter.CreateCounter<long>("multicluster.reconcile.errors", "{error}",
        "Writes the engine will try again: refused by the cluster, or the cluster did not answer.");

    // Stores and engines alive in this process; the gauges read them at collection. One each in the app (tests host several).
    private static readonly ConcurrentDictionary<FleetStateStore, byte> Stores = new();
    private static readonly ConcurrentDictionary<ReconcileEngine, byte> Engines = new();

    static KubernetesTelemetry()
    {
        Meter.CreateObservableGauge("multicluster.cluster.health", ClusterHealth, "{cluster}",
            "1 for each cluster, labelled with its health: Connecting, Synced, Degraded, Unreachable, Unauthorized or Paused.");
        Meter.CreateObservableGauge("multicluster.store.objects", StoreObjects, "{object}",
            "Objects the fleet state store holds, by kind (Pod, Node, …; Problem and PolicyTarget are the dashboard's own).");
        Meter.CreateObservableGauge("multicluster.reconcile.queue.depth", QueueDepths, "{key}",
            "Keys waiting for the engine's worker, by owner kind and cluster.");
    }

    /// <summary>Counts <paramref name="store"/> in the gauges until the result is disposed.</summary>
    public static IDisposable Observe(FleetStateStore store) => Track(Stores, store);

    /// <summary>Counts <paramref name="engine"/>'s queues in the gauges until the result is disposed.</summary>
    public static IDisposable Observe(ReconcileEngine engine) => Track(Engines, engine);

    private static Registration Track<T>(ConcurrentDictionary<T, byte> set, T item) where T : notnull
    {
        set[item] = 0;
        return new Registration(() => set.TryRemove(item, out _));
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    private static IEnumerable<Measurement<int>> ClusterHealth() =>
        Stores.Keys.SelectMany(store => store.Clusters())
            .Select(c => new Measurement<int>(1, new KeyValuePair<string, object?>("cluster", c.Cluster), new KeyValuePair<string, object?>("health", c.Health.ToString())));

    private static IEnumerable<Measurement<long>> StoreObjects() =>
        Enum.GetValues<FleetKind>().Select(kind => new Measurement<long>(Stores.Keys.Sum(store => (long)store.Count(kind)), new KeyValuePair<string, object?>("kind", kind.ToString())));

    private static IEnumerable<Measurement<int>> QueueDepths() =>
        Engines.Keys.SelectMany(engine => engine.QueueDepths().Select(q => new Measurement<int>(q.Waiting,
            new KeyValuePair<string, object?>("owner", engine.OwnerKind), new KeyValuePair<string, object?>("cluster", q.Cluster))));

    /// <summary>Tags of an informer's measurements.</summary>
    internal static TagList Informer(string cluster, string kind) => new() { { "cluster", cluster }, { "kind", kind } };
}
