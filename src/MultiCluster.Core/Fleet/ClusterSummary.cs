namespace MultiCluster.Core.Fleet;

/// <summary>A registered cluster as the fleet pages see it: what the registry says and how watching it goes.</summary>
public sealed record ClusterSummary : IFleetObject
{
    public FleetKind Kind => FleetKind.Cluster;

    public required string Cluster { get; init; }

    public string Key => Cluster;

    public string DisplayName { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? KubernetesVersion { get; init; }

    public ClusterHealth Health { get; init; }

    /// <summary>The last error in plain words; null when all is well.</summary>
    public string? Problem { get; init; }

    /// <summary>When the API server last answered anything.</summary>
    public DateTimeOffset? LastContact { get; init; }

    public IReadOnlyList<KindWatchStatus> Kinds { get; init; } = [];

    public bool InsecureSkipTlsVerify { get; init; }
}
