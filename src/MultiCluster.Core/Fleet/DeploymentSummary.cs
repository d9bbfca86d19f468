namespace MultiCluster.Core.Fleet;

/// <summary>A Deployment's rollout state; watched only while a page needs it.</summary>
public sealed record DeploymentSummary : IFleetObject
{
    public FleetKind Kind => FleetKind.Deployment;

    public required string Cluster { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Key => FleetKeys.Of(Namespace, Name);

    public int Replicas { get; init; }

    public int ReadyReplicas { get; init; }

    public int UpdatedReplicas { get; init; }

    public int AvailableReplicas { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }
}
