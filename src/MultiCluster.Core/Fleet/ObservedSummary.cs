using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Fleet;

/// <summary>
/// An object of a kind the engine writes and no page needs more of (LimitRanges, RoleBindings, ClusterRoleBindings,
/// ClusterRoles): what it says in the engine's terms, which is also what the access pages read.
/// </summary>
public sealed record ObservedSummary : IObservedObject
{
    public required FleetKind Kind { get; init; }

    public required string Cluster { get; init; }

    /// <summary>Null for cluster-scoped kinds.</summary>
    public string? Namespace { get; init; }

    public required string Name { get; init; }

    public string Key => FleetKeys.Of(Namespace, Name);

    public required ManagedObject Observed { get; init; }

    ManagedObject? IObservedObject.Observed => Observed;
}
