namespace MultiCluster.Data.Entities;

/// <summary>
/// Someone on call acknowledged (with a note) or snoozed one row of the Triage page. It is deleted when the
/// problem goes away or the snooze ends, so a problem that comes back later starts unacknowledged.
/// </summary>
public sealed class ProblemAcknowledgement
{
    public Guid Id { get; set; }

    public Guid ClusterId { get; set; }

    /// <summary>The row's key within its cluster (the rule, the workload or object, the namespace).</summary>
    public required string ProblemKey { get; set; }

    public string? Note { get; set; }

    public required string AcknowledgedBy { get; set; }

    public DateTimeOffset AcknowledgedAt { get; set; }

    /// <summary>Hidden from the page and the counter until then; null for an acknowledgement.</summary>
    public DateTimeOffset? SnoozedUntil { get; set; }
}
