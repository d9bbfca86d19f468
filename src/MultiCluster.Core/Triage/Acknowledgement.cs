namespace MultiCluster.Core.Triage;

/// <summary>
/// Someone on call has seen a problem: acknowledged it (with a note), or snoozed it until a time. It lasts
/// for one occurrence: when the problem goes away, the acknowledgement goes with it.
/// </summary>
public sealed record Acknowledgement(string By, DateTimeOffset At, string? Note, DateTimeOffset? SnoozedUntil)
{
    public bool IsSnoozed(DateTimeOffset now) => SnoozedUntil is { } until && until > now;
}
