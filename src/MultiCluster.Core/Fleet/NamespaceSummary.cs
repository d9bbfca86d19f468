namespace MultiCluster.Core.Fleet;

public sealed record NamespaceSummary : IFleetObject
{
    public FleetKind Kind => FleetKind.Namespace;

    public required string Cluster { get; init; }

    public required string Name { get; init; }

    public string Key => Name;

    /// <summary>Active or Terminating.</summary>
    public string Phase { get; init; } = "Active";

    public DateTimeOffset? CreatedAt { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];
}
