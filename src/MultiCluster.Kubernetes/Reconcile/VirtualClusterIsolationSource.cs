using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;
using MultiCluster.Core.VirtualClusters;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// The third user of the engine: the isolation of the vClusters the dashboard created (their quota and limit range), set
/// from the registry on every change and at start.
/// </summary>
public sealed class VirtualClusterIsolationSource : IReconcileSource
{
    public const string OwnerKindKey = VirtualClusterIsolationPlanner.OwnerKind;

    private readonly ChangeSignal _changes = new();
    private IReadOnlyList<VirtualClusterIsolationSpec>? _isolations;

    public string OwnerKind => VirtualClusterIsolationPlanner.OwnerKind;

    public IReadOnlyList<FleetKind> Kinds { get; } = [FleetKind.ResourceQuota, FleetKind.LimitRange];

    public long Version => _changes.Version;

    public void Set(IReadOnlyList<VirtualClusterIsolationSpec> isolations)
    {
        Volatile.Write(ref _isolations, isolations);
        _changes.Notify();
    }

    public Task WaitForChangeAsync(long seen, CancellationToken cancellationToken) => _changes.WaitAsync(seen, cancellationToken);

    public ClusterPlan? Plan(ClusterFacts cluster, IReadOnlyList<NamespaceFacts> namespaces) =>
        Volatile.Read(ref _isolations) is { } isolations ? VirtualClusterIsolationPlanner.Plan(isolations, cluster, namespaces) : null;
}
