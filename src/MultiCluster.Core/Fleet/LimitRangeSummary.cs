using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Fleet;

/// <summary>A LimitRange, kept for the reconciler engine: what it says in the engine's terms.</summary>
public sealed record LimitRangeSummary : IObservedObject
{
    public FleetKind Kind => FleetKind.LimitRange;

    public required string Cluster { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Key => FleetKeys.Of(Namespace, Name);

    public required ManagedObject Observed { get; init; }

    ManagedObject? IObservedObject.Observed => Observed;
}
