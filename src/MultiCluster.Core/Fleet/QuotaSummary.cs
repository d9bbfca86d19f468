using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Fleet;

/// <summary>A ResourceQuota's hard limits and current usage.</summary>
public sealed record QuotaSummary : IObservedObject
{
    public FleetKind Kind => FleetKind.ResourceQuota;

    public required string Cluster { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Key => FleetKeys.Of(Namespace, Name);

    public IReadOnlyList<QuotaResource> Resources { get; init; } = [];

    public ManagedObject? Observed { get; init; }
}

/// <summary>One resource of a quota: <c>requests.cpu</c> with hard 10 and used 9.5, say.</summary>
public sealed record QuotaResource(string Name, string Hard, string Used, decimal HardValue, decimal UsedValue)
{
    /// <summary>Used as a share of hard (0..1+); null when hard is zero.</summary>
    public double? Fraction => HardValue > 0 ? (double)(UsedValue / HardValue) : null;
}
