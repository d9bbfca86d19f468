using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Web.Quotas;

/// <summary>One policy in the Quotas list: what it selects in words, and how its targets stand.</summary>
public sealed record QuotaPolicyRow(QuotaPolicy Policy, string Clusters, string Namespaces, int Targets, IReadOnlyList<StatusCount> Statuses);

public sealed record StatusCount(TargetStatus Status, int Count);

/// <summary>The Quotas pages' projections of policies and their targets, kept out of the components so tests reach them.</summary>
public static class QuotaPolicyView
{
    /// <summary>Statuses most urgent first, as chips and filters list them.</summary>
    public static IReadOnlyList<TargetStatus> Statuses => TargetStatuses.MostUrgentFirst;

    /// <summary>One row per policy, in name order, with its targets counted per status (most urgent first).</summary>
    public static IReadOnlyList<QuotaPolicyRow> Rows(IEnumerable<QuotaPolicy> policies, IEnumerable<PolicyTarget> targets)
    {
        var byOwner = targets.GroupBy(t => t.Owner, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return [.. policies.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p =>
        {
            var mine = byOwner.GetValueOrDefault(p.Name) ?? [];
            return new QuotaPolicyRow(p, p.ClustersText, p.NamespacesText, mine.Count, Count(mine));
        })];
    }

    /// <summary>Targets counted per status, most urgent first, statuses without targets left out.</summary>
    public static IReadOnlyList<StatusCount> Count(IEnumerable<PolicyTarget> targets)
    {
        var counts = targets.GroupBy(t => t.Status).ToDictionary(g => g.Key, g => g.Count());
        return [.. Statuses.Where(counts.ContainsKey).Select(s => new StatusCount(s, counts[s]))];
    }

    /// <summary>
    /// Where the policy meets others, one line per other policy: "gives way to payments in 3 namespaces"
    /// or "wins over team-defaults in 3 namespaces"; the higher priority writes there.
    /// </summary>
    public static IReadOnlyList<string> MeetingsText(string policy, IEnumerable<QuotaOverlap> meetings) =>
        [.. meetings
            .GroupBy(m => m.Policy == policy ? ("gives way to", m.OtherPolicy) : ("wins over", m.Policy))
            .OrderBy(g => g.Key.Item2, StringComparer.Ordinal)
            .Select(g => $"{g.Key.Item1} {g.Key.Item2} in {g.Count()} namespace{(g.Count() == 1 ? "" : "s")}")];

    /// <summary>What deleting takes away, for the confirmation: "its ResourceQuota and LimitRange mc-team".</summary>
    public static string ObjectsText(QuotaPolicy policy)
    {
        var kinds = new[] { policy.Hard.Count > 0 ? QuotaFields.ResourceQuota : null, policy.Limits.Count > 0 ? QuotaFields.LimitRange : null }.OfType<string>();
        return $"{string.Join(" and ", kinds)} {policy.ObjectName}";
    }

    /// <summary>The question asked before a policy is deleted, naming what goes and from where.</summary>
    public static string DeleteQuestion(QuotaPolicy policy, IReadOnlyCollection<PolicyTarget> targets)
    {
        var clusters = targets.Select(t => t.Cluster).Distinct(StringComparer.Ordinal).Count();
        return $"Deletes policy {policy.Name} and its {ObjectsText(policy)} from {Plural(targets.Count, "namespace")} in {Plural(clusters, "cluster")}. "
            + "Objects of the same name that the dashboard did not write are left alone.";
    }

    public static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}

/// <summary>The filters of a policy's target table.</summary>
public sealed record QuotaTargetQuery
{
    public string? Cluster { get; init; }

    /// <summary>Part of the namespace's name, any case.</summary>
    public string? Namespace { get; init; }

    public TargetStatus? Status { get; init; }

    /// <summary>The targets that pass the filters, by cluster and namespace.</summary>
    public IReadOnlyList<PolicyTarget> Apply(IEnumerable<PolicyTarget> targets) =>
        [.. targets
            .Where(t => string.IsNullOrEmpty(Cluster) || t.Cluster == Cluster)
            .Where(t => string.IsNullOrWhiteSpace(Namespace) || (t.Namespace ?? "").Contains(Namespace.Trim(), StringComparison.OrdinalIgnoreCase))
            .Where(t => Status is null || t.Status == Status)
            .OrderBy(t => t.Cluster, StringComparer.Ordinal).ThenBy(t => t.Namespace, StringComparer.Ordinal)];
}
