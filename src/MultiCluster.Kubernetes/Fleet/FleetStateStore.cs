using System.Collections.Concurrent;
using MultiCluster.Core.Fleet;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>
/// The in-memory truth about every watched cluster: slim summaries per (cluster, kind), readable at any time
/// without locks, and a change feed. Writers (informers) take one short lock per batch and never wait for a
/// reader; subscribers get their changes coalesced into a batch every <see cref="FleetStoreOptions.BatchInterval"/>.
/// One that reads slowly slows nobody down: its changes go on coalescing until it reads, and it is resynced from a
/// snapshot only when they outgrow one.
/// </summary>
public sealed class FleetStateStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, ClusterSlot> _clusters = new(StringComparer.Ordinal);
    private readonly List<FleetSubscription> _subscribers = [];
    private readonly FleetStoreOptions _options;
    private readonly ITimer _flushTimer;
    private readonly Lock _tallyGate = new();
    private readonly Dictionary<string, ClusterTally> _tallies = new(StringComparer.Ordinal);
    private long _version;
    private readonly IDisposable _observed;

    public FleetStateStore(TimeProvider time, FleetStoreOptions? options = null)
    {
        _options = options ?? new FleetStoreOptions();
        Pods = new PodIndex(time);
        _flushTimer = time.CreateTimer(_ => Flush(), null, _options.BatchInterval, _options.BatchInterval);
        _observed = KubernetesTelemetry.Observe(this);
    }

    /// <summary>Every pod indexed for the Pods page, kept up to date with each change.</summary>
    public PodIndex Pods { get; }

    /// <summary>Increases with every change; a reader that saw the same value has seen everything.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Apply(FleetChange change) => Apply([change]);

    public void Apply(IReadOnlyList<FleetChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }
        List<(PodSummary?, PodSummary?)>? pods = null;
        List<(IFleetObject?, IFleetObject?)>? tallied = null;
        lock (_gate)
        {
            for (var i = 0; i < changes.Count; i++)
            {
                var change = changes[i];
                var slot = _clusters.GetOrAdd(change.Cluster, static name => new ClusterSlot(name));
                var items = slot.Items(change.Kind);
                IFleetObject? old;
                if (change.Object is { } item)
                {
                    items.TryGetValue(change.Key, out old);
                    items[change.Key] = item;
                }
                else if (!items.TryRemove(change.Key, out old))
                {
                    continue;
                }
                // Sized for the batch at once: a watch's batches are mostly pods, and growing by doubling was a few
                // percent of what the dashboard allocated under churn.
                if (change.Kind == FleetKind.Pod)
                {
                    (pods ??= new(changes.Count)).Add(((PodSummary?)old, (PodSummary?)change.Object));
                }
                if (change.Kind is FleetKind.Pod or FleetKind.Node)
                {
                    (tallied ??= new(changes.Count)).Add((old, change.Object));
                }
                _version++;
                foreach (var subscriber in _subscribers)
                {
                    subscriber.EnqueueLocked(change);
                }
            }
            // Still under the writer's lock, so indexes and tallies follow the changes in their order.
            if (pods is not null)
            {
                Pods.Update(pods);
            }
            if (tallied is not null)
            {
                Tally(tallied);
            }
        }
    }

    private void Tally(List<(IFleetObject? Old, IFleetObject? New)> changes)
    {
        lock (_tallyGate)
        {
            foreach (var (old, current) in changes)
            {
                var cluster = (old ?? current)!.Cluster;
                if (!_tallies.TryGetValue(cluster, out var tally))
                {
                    _tallies[cluster] = tally = new ClusterTally();
                }
                switch (old)
                {
                    case PodSummary pod: tally.Remove(pod); break;
                    case NodeSummary node: tally.Remove(node); break;
                }
                switch (current)
                {
                    case PodSummary pod: tally.Add(pod); break;
                    case NodeSummary node: tally.Add(node); break;
                }
                if (tally.IsEmpty)
                {
                    _tallies.Remove(cluster);
                }
            }
        }
    }

    /// <summary>The cluster's figures for the Overview, kept up to date with each change rather than summed on demand.</summary>
    public ClusterOverview Overview(ClusterSummary cluster)
    {
        var warnings = Count(FleetKind.Event, cluster.Cluster);
        lock (_tallyGate)
        {
            return (_tallies.GetValueOrDefault(cluster.Cluster) ?? new ClusterTally()).Overview(cluster, warnings);
        }
    }

    /// <summary>Forgets a cluster and everything of it (it was removed from the registry); subscribers get the deletes.</summary>
    public void RemoveCluster(string cluster)
    {
        if (!_clusters.TryGetValue(cluster, out var slot))
        {
            return;
        }
        var deletes = Enum.GetValues<FleetKind>()
            .SelectMany(kind => slot.Items(kind).Keys.Select(key => FleetChange.Delete(kind, cluster, key)))
            .ToList();
        Apply(deletes);
        lock (_gate)
        {
            _clusters.TryRemove(cluster, out _);
        }
    }

    public IEnumerable<string> ClusterNames => _clusters.Keys;

    public ClusterSummary? Cluster(string name) =>
        _clusters.TryGetValue(name, out var slot) && slot.Items(FleetKind.Cluster).TryGetValue(name, out var item) ? (ClusterSummary)item : null;

    public IEnumerable<ClusterSummary> Clusters() => All<ClusterSummary>(FleetKind.Cluster);

    public T? Get<T>(FleetKind kind, string cluster, string key) where T : class, IFleetObject =>
        _clusters.TryGetValue(cluster, out var slot) && slot.Items(kind).TryGetValue(key, out var item) ? (T)item : null;

    /// <summary>Every summary of a kind, of one cluster or of all; a live view, safe to enumerate while writers run.</summary>
    public IEnumerable<T> All<T>(FleetKind kind, string? cluster = null) where T : class, IFleetObject
    {
        if (cluster is not null)
        {
            return _clusters.TryGetValue(cluster, out var one) ? one.Items(kind).Values.Cast<T>() : [];
        }
        return _clusters.Values.SelectMany(slot => slot.Items(kind).Values.Cast<T>());
    }

    public int Count(FleetKind kind, string? cluster = null) =>
        cluster is not null
            ? (_clusters.TryGetValue(cluster, out var slot) ? slot.Items(kind).Count : 0)
            : _clusters.Values.Sum(s => s.Items(kind).Count);

    /// <summary>
    /// Follows the kinds and clusters of <paramref name="filter"/>: the subscription's <see cref="FleetSubscription.Snapshot"/>
    /// holds their current state, and every change after it arrives in order in later batches. The snapshot is read
    /// after joining and outside the writers' lock: a change made meanwhile is in the snapshot, in the first batch or
    /// in both, and applying the batch to the snapshot ends in the same state (a delete may name an object the
    /// snapshot no longer held). A page that only needs to know that something changed asks for no snapshot.
    /// </summary>
    public FleetSubscription Subscribe(FleetFilter filter, bool snapshot = true)
    {
        var subscription = new FleetSubscription(this, filter, _options.SubscriberBacklog, snapshot);
        lock (_gate)
        {
            _subscribers.Add(subscription);
        }
        subscription.Snapshot = snapshot ? SnapshotOf(filter) : new FleetBatch(true, []);
        return subscription;
    }

    internal void Unsubscribe(FleetSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }
    }

    /// <summary>Sends every subscriber its pending changes; runs on a timer, callable directly by tests.</summary>
    public void Flush()
    {
        FleetSubscription[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }
        foreach (var subscriber in subscribers)
        {
            subscriber.Flush();
        }
    }

    internal List<FleetChange>? TakePending(FleetSubscription subscriber)
    {
        lock (_gate)
        {
            return subscriber.TakePendingLocked();
        }
    }

    /// <summary>
    /// A subscriber behind by more changes than a snapshot of its kinds holds (plus <paramref name="slack"/>) is
    /// sent a snapshot instead: the bound on what one slow reader can make the store keep for it.
    /// </summary>
    internal void ResyncIfOutgrown(FleetSubscription subscriber, int slack)
    {
        lock (_gate)
        {
            var pending = subscriber.PendingCountLocked;
            if (pending > slack && pending > slack + CountOf(subscriber.Filter))
            {
                subscriber.ResetLocked(needsResync: true);
            }
        }
    }

    private int CountOf(FleetFilter filter)
    {
        var count = 0;
        foreach (var slot in _clusters.Values)
        {
            foreach (var kind in filter.Kinds)
            {
                if (filter.Matches(kind, slot.Name))
                {
                    count += slot.Items(kind).Count;
                }
            }
        }
        return count;
    }

    internal FleetBatch Resync(FleetSubscription subscriber)
    {
        lock (_gate)
        {
            subscriber.ResetLocked(needsResync: false);
        }
        return subscriber.TakesSnapshots ? SnapshotOf(subscriber.Filter) : new FleetBatch(true, []);
    }

    private FleetBatch SnapshotOf(FleetFilter filter)
    {
        var changes = new List<FleetChange>();
        foreach (var slot in _clusters.Values)
        {
            foreach (var kind in filter.Kinds)
            {
                if (filter.Matches(kind, slot.Name))
                {
                    changes.AddRange(slot.Items(kind).Values.Select(FleetChange.Upsert));
                }
            }
        }
        return new FleetBatch(true, changes);
    }

    public void Dispose()
    {
        _observed.Dispose();
        _flushTimer.Dispose();
        FleetSubscription[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }
        foreach (var subscriber in subscribers)
        {
            subscriber.Dispose();
        }
    }

    private sealed class ClusterSlot(string name)
    {
        private readonly ConcurrentDictionary<string, IFleetObject>[] _items =
            Enum.GetValues<FleetKind>().Select(_ => new ConcurrentDictionary<string, IFleetObject>(StringComparer.Ordinal)).ToArray();

        public string Name => name;

        public ConcurrentDictionary<string, IFleetObject> Items(FleetKind kind) => _items[(int)kind];
    }
}
