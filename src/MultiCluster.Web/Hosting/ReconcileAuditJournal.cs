using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Web.Hosting;

/// <summary>
/// The engine's journal in the audit log: one row per owner (a quota policy, a grant, a role template) and cluster per
/// summary, never one per write; the action is the owner's own (<c>quota-policy.reconcile</c>, <c>grant.reconcile</c>).
/// </summary>
public sealed class ReconcileAuditJournal(AuditLog audit) : IReconcileJournal
{
    /// <summary>Who the engine is in the audit log (a reserved name no person can sign in as).</summary>
    public const string Actor = "system:reconciler";

    public const string ReconcileAction = "quota-policy.reconcile";

    public async Task RecordAsync(IReadOnlyList<ReconcileSummary> summaries, CancellationToken cancellationToken)
    {
        foreach (var summary in summaries)
        {
            var (action, target) = summary.OwnerKind switch
            {
                Core.Quotas.QuotaPolicy.OwnerKind => (ReconcileAction, QuotaPolicyStore.Target(summary.Owner)),
                Core.Access.AccessGrant.OwnerKind => (AccessStore.GrantActions + "reconcile", AccessStore.Target("grant", summary.Owner)),
                Core.Access.FleetRoles.OwnerKind => ("fleet-role.reconcile", AccessStore.Target("fleet role", summary.Owner)),
                _ => (AccessStore.TemplateActions + "reconcile", AccessStore.Target("role template", summary.Owner)),
            };
            await audit.RecordAsync(Actor, action, target, summary.Failed > 0 ? AuditOutcome.Failed : AuditOutcome.Succeeded, Describe(summary), cancellationToken);
        }
    }

    public static string Describe(ReconcileSummary summary)
    {
        var done = new[] { (summary.Created, "created"), (summary.Updated, "updated"), (summary.Repaired, "repaired"), (summary.Deleted, "deleted") }
            .Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}");
        var text = $"cluster {summary.Cluster}: {string.Join(", ", done.DefaultIfEmpty("nothing written"))}";
        return summary.Failed > 0 ? $"{text}; {summary.Failed} write{(summary.Failed == 1 ? "" : "s")} refused: {summary.LastError}" : text;
    }
}
