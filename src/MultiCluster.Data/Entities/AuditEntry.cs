namespace MultiCluster.Data.Entities;

/// <summary>One change made through the dashboard: who, when, what, to what, and how it ended.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset Time { get; set; }

    public required string Actor { get; set; }

    /// <summary>A stable verb such as <c>cluster.register</c> or <c>user.sign-in</c>.</summary>
    public required string Action { get; set; }

    /// <summary>What the action was done to, e.g. <c>cluster/prod-eu-1</c>.</summary>
    public required string Target { get; set; }

    public AuditOutcome Outcome { get; set; }

    public string? Detail { get; set; }
}

public enum AuditOutcome
{
    Succeeded,
    Failed,
    Denied,
}
