namespace MultiCluster.Web.Triage;

public static class TriageAuditActions
{
    public const string Acknowledge = "problem.acknowledge";
    public const string Snooze = "problem.snooze";
    public const string Unacknowledge = "problem.unacknowledge";

    /// <summary>The dashboard forgot an acknowledgement because its problem went away or its snooze ended.</summary>
    public const string Ended = "problem.acknowledgement-ended";

    /// <summary>Who the dashboard itself acts as in the audit log.</summary>
    public const string System = "system:triage";
}
