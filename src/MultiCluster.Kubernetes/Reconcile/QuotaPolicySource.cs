using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// The quota policies as the engine sees them: the dashboard sets the current list (from the registry, on every save
/// and at start), the planner turns it into each cluster's ResourceQuotas and LimitRanges.
/// </summary>
public sealed class QuotaPolicySource : IReconcileSource
{
    private readonly Lock _gate = new();
    private IReadOnlyList<QuotaPolicy> _policies = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    /// <summary>The key of the quota policies' engine among the services.</summary>
    public const string OwnerKindKey = QuotaPolicy.OwnerKind;

    public string OwnerKind => QuotaPolicy.OwnerKind;

    public IReadOnlyList<FleetKind> Kinds { get; } = [FleetKind.ResourceQuota, FleetKind.LimitRange];

    public long Version => Interlocked.Read(ref _version);

    /// <summary>Whether the registry's policies have been read once: until then the engine would delete what it cannot see wanted.</summary>
    public bool Loaded { get; private set; }

    public IReadOnlyList<QuotaPolicy> Policies => Volatile.Read(ref _policies);

    /// <summary>The registry's policies now; the engine goes over every cluster again (a pass that finds all in sync writes nothing).</summary>
    public void Set(IReadOnlyList<QuotaPolicy> policies)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            Volatile.Write(ref _policies, policies);
            Loaded = true;
            _version++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    public async Task WaitForChangeAsync(long seen, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_version != seen)
            {
                return;
            }
            changed = _changed.Task;
        }
        await changed.WaitAsync(cancellationToken);
    }

    public ClusterPlan? Plan(ClusterFacts cluster, IReadOnlyList<NamespaceFacts> namespaces)
    {
        if (!Loaded)
        {
            return null;
        }
        var policies = Policies;
        var plan = QuotaPlanner.Plan(policies, [cluster], namespaces);
        return new ClusterPlan(plan.Desired, policies.ToDictionary(p => p.Name, p => p.Mode, StringComparer.Ordinal));
    }
}
