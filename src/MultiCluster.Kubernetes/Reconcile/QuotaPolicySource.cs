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
    /// <summary>The key of the quota policies' engine among the services.</summary>
    public const string OwnerKindKey = QuotaPolicy.OwnerKind;

    private readonly ChangeSignal _changes = new();
    private IReadOnlyList<QuotaPolicy>? _policies;

    public string OwnerKind => QuotaPolicy.OwnerKind;

    public IReadOnlyList<FleetKind> Kinds { get; } = [FleetKind.ResourceQuota, FleetKind.LimitRange];

    public long Version => _changes.Version;

    public IReadOnlyList<QuotaPolicy> Policies => Volatile.Read(ref _policies) ?? [];

    /// <summary>The registry's policies now; the engine goes over every cluster again (a pass that finds all in sync writes nothing).</summary>
    public void Set(IReadOnlyList<QuotaPolicy> policies)
    {
        Volatile.Write(ref _policies, policies);
        _changes.Notify();
    }

    public Task WaitForChangeAsync(long seen, CancellationToken cancellationToken) => _changes.WaitAsync(seen, cancellationToken);

    public ClusterPlan? Plan(ClusterFacts cluster, IReadOnlyList<NamespaceFacts> namespaces)
    {
        if (Volatile.Read(ref _policies) is not { } policies)
        {
            return null;
        }
        var plan = QuotaPlanner.Plan(policies, [cluster], namespaces);
        return new ClusterPlan(plan.Desired, policies.ToDictionary(p => p.Name, p => p.Mode, StringComparer.Ordinal));
    }
}
