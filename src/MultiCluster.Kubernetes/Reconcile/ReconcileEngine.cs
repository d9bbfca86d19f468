using System.Collections.Concurrent;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// The one reconciler engine, generic over what it writes (<see cref="IReconcileSource"/>). Level-triggered: a change
/// in the store (a namespace, a cluster's labels or health, one of the written kinds) or in the source only marks its
/// cluster for a pass; a pass plans (Core), judges desired against what the informers hold, publishes each target's
/// status to the store as <see cref="FleetKind.PolicyTarget"/> and queues the objects to write. Each cluster has its
/// own queue, write budget and worker, so a slow or unreachable cluster holds up no other. Nothing is persisted: after
/// a restart the informers' lists and the registry say everything again. Every replica plans and publishes statuses from
/// its own informers; only the one the <see cref="IWriteFence"/> lets lead queues and makes writes.
/// </summary>
public sealed partial class ReconcileEngine(
    IReconcileSource source,
    FleetStateStore store,
    IClusterClients clients,
    IReconcileJournal journal,
    ReconcileOptions options,
    TimeProvider time,
    ILogger<ReconcileEngine> logger,
    IWriteFence? fence = null,
    IRepairRelay? relay = null) : BackgroundService
{
    private readonly IWriteFence _fence = fence ?? SoleWriter.Instance;
    private readonly IRepairRelay? _relay = relay;
    private readonly ConcurrentDictionary<string, ClusterLane> _lanes = new(StringComparer.Ordinal);
    private readonly ReconcileQueue<string> _passes = new(time, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
    private readonly ReconcileTally _tally = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _stopping;

    public string OwnerKind => source.OwnerKind;

    /// <summary>Keys waiting in each cluster's queue, for the queue-depth gauge.</summary>
    public IEnumerable<(string Cluster, int Waiting)> QueueDepths() => _lanes.Values.Select(lane => (lane.Cluster, lane.Queue.Length));

    /// <summary>Completes once the engine follows the store.</summary>
    public Task Started => _started.Task;

    /// <summary>
    /// A person asks for one target's objects to be written once, though its owner only informs (Inform mode), or
    /// written again now. False when the target is not known. A replica that does not lead relays the request to the leader
    /// (unless it came relayed: <paramref name="relay"/> false).
    /// </summary>
    public bool Repair(string cluster, string owner, string? ns, bool relay = true)
    {
        if (!_lanes.TryGetValue(cluster, out var lane) || store.Get<PolicyTarget>(FleetKind.PolicyTarget, cluster, PolicyTarget.KeyOf(source.OwnerKind, owner, ns)) is not { } target)
        {
            return false;
        }
        lane.RequestRepair(target.Objects.Select(o => ManagedObject.KeyOf(cluster, o.Kind, ns, o.Name)));
        _passes.Add(cluster);
        if (relay && _fence.Epoch == 0)
        {
            _relay?.Relay(source.OwnerKind, cluster, owner, ns);
        }
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        using var observed = KubernetesTelemetry.Observe(this);
        using var subscription = store.Subscribe(FleetFilter.For([FleetKind.Cluster, FleetKind.Namespace, .. source.Kinds]));
        foreach (var cluster in subscription.Snapshot.Changes.Select(c => c.Cluster).Distinct())
        {
            _passes.Add(cluster);
        }
        _started.TrySetResult();
        var tasks = new[]
        {
            FollowStoreAsync(subscription, stoppingToken),
            FollowSourceAsync(stoppingToken),
            FollowLeadershipAsync(stoppingToken),
            PlanAsync(stoppingToken),
            JournalAsync(stoppingToken),
        };
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        foreach (var lane in _lanes.Values)
        {
            await StopLaneAsync(lane);
        }
        await FlushJournalAsync(CancellationToken.None);
    }

    private async Task FollowStoreAsync(FleetSubscription subscription, CancellationToken stoppingToken)
    {
        await foreach (var batch in subscription.ReadBatchesAsync(stoppingToken))
        {
            foreach (var cluster in batch.IsSnapshot ? store.ClusterNames : batch.Changes.Select(c => c.Cluster).Distinct())
            {
                _passes.Add(cluster);
            }
        }
    }

    private async Task FollowSourceAsync(CancellationToken stoppingToken)
    {
        var seen = source.Version;
        while (!stoppingToken.IsCancellationRequested)
        {
            await source.WaitForChangeAsync(seen, stoppingToken);
            seen = source.Version;
            foreach (var cluster in store.ClusterNames)
            {
                _passes.Add(cluster);
            }
        }
    }

    /// <summary>A replica that starts leading judges every cluster again, and so queues what its passes as a follower did not.</summary>
    private async Task FollowLeadershipAsync(CancellationToken stoppingToken)
    {
        var seen = _fence.Epoch;
        while (!stoppingToken.IsCancellationRequested)
        {
            await _fence.WaitForChangeAsync(seen, stoppingToken);
            seen = _fence.Epoch;
            if (seen == 0)
            {
                continue;
            }
            LogLeading(logger, source.OwnerKind, seen);
            foreach (var cluster in store.ClusterNames)
            {
                _passes.Add(cluster);
            }
        }
    }

    private async Task PlanAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var cluster = await _passes.TakeAsync(stoppingToken);
            try
            {
                await PassAsync(cluster);
                _passes.Forget(cluster);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A pass is pure work over the store; failing means a bug, not a cluster: log it and try again later.
                LogPassFailed(logger, cluster, ex);
                _passes.AddFailed(cluster);
            }
            finally
            {
                _passes.Done(cluster);
            }
        }
    }

    /// <summary>One pass over one cluster: plan, judge, publish the targets' statuses, queue the writes.</summary>
    private async Task PassAsync(string cluster)
    {
        if (store.Cluster(cluster) is not { } summary)
        {
            if (_lanes.TryRemove(cluster, out var gone))
            {
                await StopLaneAsync(gone);
            }
            store.Apply([.. Published(cluster).Select(t => FleetChange.Delete(FleetKind.PolicyTarget, cluster, t.Key))]);
            return;
        }
        if (source.Plan(FleetFacts.Of(summary), store.Namespaces(cluster)) is not { } plan)
        {
            return;
        }
        var lane = _lanes.GetOrAdd(cluster, StartLane);
        var observed = source.Kinds.SelectMany(kind => store.All<IObservedObject>(kind, cluster)).Select(o => o.Observed).OfType<ManagedObject>();
        var judgements = ReconcilePass.Judge(source.OwnerKind, plan.Desired, plan.Modes, observed, Writable(summary), lane);
        // Writes in the kinds' order (a LimitRange before its ResourceQuota), deletions after every write.
        var ordered = judgements.OrderBy(j => j.Action == ReconcileAction.Delete ? 1 : 0).ThenBy(j => ManagedKind.Of((j.Desired ?? j.Actual)!.Kind).WriteOrder).ToList();
        var work = lane.Update(ordered);
        // A follower only reports: the leader writes, and this replica queues its own work once it leads.
        if (_fence.Epoch != 0)
        {
            foreach (var key in work)
            {
                lane.Queue.Add(key);
            }
        }
        Publish(cluster, ReconcilePass.Targets(source.OwnerKind, cluster, judgements, plan.Modes));
    }

    /// <summary>Whether the engine may write to the cluster now: it answers, and the kinds it compares have been listed.</summary>
    private bool Writable(ClusterSummary summary)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal) { "namespaces" };
        needed.UnionWith(source.Kinds.Select(k => Informers.WatchedKinds.NameOf(k)));
        return summary.Health is ClusterHealth.Synced or ClusterHealth.Degraded
            && needed.All(kind => summary.Kinds.Any(k => k.Kind == kind && k.State == WatchState.Watching));
    }

    /// <summary>This engine's target rows of a cluster as the store holds them: what the last pass published.</summary>
    private IEnumerable<PolicyTarget> Published(string cluster) =>
        store.All<PolicyTarget>(FleetKind.PolicyTarget, cluster).Where(t => t.OwnerKind == source.OwnerKind);

    /// <summary>Publishes the pass's targets: only those that changed, and deletes of those no longer wanted.</summary>
    private void Publish(string cluster, IEnumerable<PolicyTarget> targets)
    {
        var now = time.GetUtcNow();
        var before = Published(cluster).ToDictionary(t => t.Key, StringComparer.Ordinal);
        var changes = new List<FleetChange>();
        foreach (var target in targets)
        {
            var previous = before.GetValueOrDefault(target.Key);
            before.Remove(target.Key);
            var next = target with { Since = previous is not null && previous.Status == target.Status ? previous.Since : now };
            if (previous is null || !SameTarget(previous, next))
            {
                changes.Add(FleetChange.Upsert(next));
            }
        }
        changes.AddRange(before.Keys.Select(key => FleetChange.Delete(FleetKind.PolicyTarget, cluster, key)));
        store.Apply(changes);
    }

    private static bool SameTarget(PolicyTarget a, PolicyTarget b) =>
        a.Mode == b.Mode && a.Since == b.Since && a.Objects.Count == b.Objects.Count
        && a.Objects.Zip(b.Objects).All(p => p.First.Kind == p.Second.Kind && p.First.Name == p.Second.Name
            && p.First.State.Status == p.Second.State.Status && p.First.State.Message == p.Second.State.Message
            && p.First.State.Differences.SequenceEqual(p.Second.State.Differences));

    private ClusterLane StartLane(string cluster)
    {
        var lane = new ClusterLane(cluster, options, time);
        var token = CancellationTokenSource.CreateLinkedTokenSource(_stopping, lane.Stopping.Token).Token;
        lane.Worker = Task.Run(() => WorkAsync(lane, token));
        return lane;
    }

    private static async Task StopLaneAsync(ClusterLane lane)
    {
        await lane.Stopping.CancelAsync();
        try
        {
            await (lane.Worker ?? Task.CompletedTask);
        }
        catch (OperationCanceledException)
        {
        }
        lane.Dispose();
    }
}
