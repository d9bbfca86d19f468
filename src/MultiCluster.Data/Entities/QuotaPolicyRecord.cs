namespace MultiCluster.Data.Entities;

/// <summary>
/// A quota policy as the registry keeps it: its identity, mode and priority as columns, what it selects and writes as
/// one JSON document (<see cref="Spec"/>), read and written whole. <see cref="QuotaPolicyStore"/> turns it into
/// <c>Core.Quotas.QuotaPolicy</c>.
/// </summary>
public sealed class QuotaPolicyRecord : ITimestamped
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Enforce or Inform.</summary>
    public required string Mode { get; set; }

    public int Priority { get; set; }

    /// <summary>Grows by one with every saved change.</summary>
    public long Generation { get; set; }

    /// <summary>Selectors, hard limits, scopes and LimitRange items as JSON.</summary>
    public required string Spec { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
