namespace MultiCluster.Core.Fleet;

/// <summary>
/// A vCluster as its host shows it: the StatefulSet (or Deployment) labelled <c>app=vcluster</c> named after it, with what
/// the vcluster CLI reads from it (replicas, the syncer's image tag, the pause annotations).
/// </summary>
public sealed record VirtualClusterSummary : IFleetObject
{
    public FleetKind Kind => FleetKind.VirtualCluster;

    /// <summary>The host cluster.</summary>
    public required string Cluster { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Key => FleetKeys.Of(Namespace, Name);

    /// <summary>StatefulSet or Deployment.</summary>
    public string Workload { get; init; } = "StatefulSet";

    public int Replicas { get; init; }

    public int ReadyReplicas { get; init; }

    /// <summary>The syncer container's image tag (vcluster's version), or null when it has none.</summary>
    public string? Version { get; init; }

    /// <summary>Paused the way the CLI pauses: <c>loft.sh/paused=true</c> on the workload.</summary>
    public bool Paused { get; init; }

    /// <summary>The replicas a resume gives back (<c>loft.sh/paused-replicas</c>).</summary>
    public int? PausedReplicas { get; init; }

    public DateTimeOffset? PausedAt { get; init; }

    /// <summary><c>loft.sh/non-deletable=true</c>: refused to delete.</summary>
    public bool NonDeletable { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The pod the CLI takes the status of: the StatefulSet's first, <c>&lt;name&gt;-0</c> (a Deployment's is found by its labels).</summary>
    public string PodName => Name + "-0";
}
