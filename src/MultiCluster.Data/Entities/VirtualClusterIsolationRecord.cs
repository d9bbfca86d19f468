namespace MultiCluster.Data.Entities;

/// <summary>
/// The isolation the dashboard keeps around a vCluster it created: where (host, namespace, name) as columns, the quota and
/// limit range values as one JSON document (<see cref="Spec"/>). <see cref="VirtualClusterIsolationStore"/> reads it.
/// </summary>
public sealed class VirtualClusterIsolationRecord : ITimestamped
{
    public Guid Id { get; set; }

    public required string Host { get; set; }

    public required string Namespace { get; set; }

    public required string Name { get; set; }

    public long Generation { get; set; } = 1;

    /// <summary>Quota, default limits and default requests as JSON.</summary>
    public required string Spec { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
