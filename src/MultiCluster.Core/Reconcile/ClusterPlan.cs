namespace MultiCluster.Core.Reconcile;

/// <summary>What one kind of owner wants in one cluster: every object, and each owner's mode.</summary>
public sealed record ClusterPlan(IReadOnlyList<ManagedObject> Desired, IReadOnlyDictionary<string, PolicyMode> Modes)
{
    public static readonly ClusterPlan Empty = new([], new Dictionary<string, PolicyMode>());
}
