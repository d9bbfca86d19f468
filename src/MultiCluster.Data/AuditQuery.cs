using MultiCluster.Data.Entities;

namespace MultiCluster.Data;

/// <summary>Filters of the Audit page and <c>GET /api/v1/audit</c>; newest first.</summary>
public sealed record AuditQuery
{
    public const int MaxPageSize = 500;

    public string? Actor { get; init; }

    /// <summary>An action (<c>cluster.register</c>) or a prefix ending in a dot (<c>cluster.</c>).</summary>
    public string? Action { get; init; }

    /// <summary>A cluster name: entries whose target is <c>cluster/{name}</c>.</summary>
    public string? Cluster { get; init; }

    public AuditOutcome? Outcome { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 50;
}

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total);
