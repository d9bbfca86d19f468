namespace MultiCluster.Core.Triage;

/// <summary>Which rows the Triage page (and <c>GET /api/v1/problems</c>) shows.</summary>
public sealed record TriageQuery
{
    /// <summary>A label selector over cluster labels (<c>env=prod,region in (eu-west)</c>).</summary>
    public string? ClusterSelector { get; init; }

    public string? Cluster { get; init; }

    public string? Namespace { get; init; }

    /// <summary>This severity or worse.</summary>
    public Severity? Severity { get; init; }

    /// <summary>Pod, Node, Cluster, ResourceQuota, or a workload kind such as Deployment.</summary>
    public string? Kind { get; init; }

    /// <summary>Snoozed rows are hidden unless asked for.</summary>
    public bool IncludeSnoozed { get; init; }
}

/// <summary>How the Triage page sections its rows.</summary>
public enum TriageGrouping
{
    None,
    Cluster,
    Namespace,
    Kind,
}

/// <summary>Filtering, ranking and sectioning of problem rows: worst first, then what is not yet being handled.</summary>
public static class TriageView
{
    /// <summary>The rows <paramref name="query"/> asks for, ranked; or the problem with the cluster selector in plain words.</summary>
    public static (IReadOnlyList<ProblemGroup> Rows, string? Error) Rows(
        IEnumerable<ProblemGroup> groups,
        Func<string, IReadOnlyDictionary<string, string>?> clusterLabels,
        TriageQuery query,
        DateTimeOffset now)
    {
        var (selector, error) = LabelSelector.Parse(query.ClusterSelector);
        if (error is not null)
        {
            return ([], error);
        }
        var rows = groups.Where(g =>
            (query.IncludeSnoozed || g.Acknowledgement?.IsSnoozed(now) != true) &&
            (query.Severity is not { } severity || g.Severity <= severity) &&
            (string.IsNullOrWhiteSpace(query.Cluster) || g.Cluster == query.Cluster.Trim()) &&
            (string.IsNullOrWhiteSpace(query.Namespace) || g.Namespace == query.Namespace.Trim()) &&
            (string.IsNullOrWhiteSpace(query.Kind) || string.Equals(query.Kind.Trim(), g.ObjectKind, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(query.Kind.Trim(), KindOf(g), StringComparison.OrdinalIgnoreCase)) &&
            (selector == LabelSelector.Everything || (clusterLabels(g.Cluster) is { } labels && selector.Matches(labels))));
        return ([.. rows.Order(Ranking(now))], null);
    }

    /// <summary>Critical rows nobody has acknowledged or snoozed: the navigation's counter.</summary>
    public static int OpenCriticals(IEnumerable<ProblemGroup> groups, DateTimeOffset now) =>
        groups.Count(g => g.Severity == Severity.Critical && IsOpen(g, now));

    /// <summary>Neither acknowledged nor snoozed (a snooze that has ended leaves the row open again).</summary>
    public static bool IsOpen(ProblemGroup group, DateTimeOffset now) =>
        group.Acknowledgement is not { } ack || (ack.SnoozedUntil is not null && !ack.IsSnoozed(now));

    /// <summary>What the row is about, as a user names it: the workload's kind for grouped replicas, else the object's.</summary>
    public static string KindOf(ProblemGroup group) => group.Owner is { } owner ? owner[..owner.IndexOf('/')] : group.ObjectKind;

    /// <summary>The section a row falls in under <paramref name="grouping"/>.</summary>
    public static string SectionOf(ProblemGroup group, TriageGrouping grouping) => grouping switch
    {
        TriageGrouping.Cluster => group.Cluster,
        TriageGrouping.Namespace => group.Namespace is { } ns ? $"{group.Cluster} / {ns}" : $"{group.Cluster} (cluster-wide)",
        TriageGrouping.Kind => KindOf(group),
        _ => "",
    };

    /// <summary>
    /// Worst first: severity; then open before acknowledged before snoozed; then whole clusters, nodes and quotas
    /// before single workloads (they explain the rest); then the widest (most replicas); then the newest change.
    /// </summary>
    public static IComparer<ProblemGroup> Ranking(DateTimeOffset now) => Comparer<ProblemGroup>.Create((a, b) =>
    {
        var order = a.Severity.CompareTo(b.Severity);
        if (order == 0) order = Handling(a, now).CompareTo(Handling(b, now));
        if (order == 0) order = Breadth(a).CompareTo(Breadth(b));
        if (order == 0) order = b.Count.CompareTo(a.Count);
        if (order == 0) order = b.LastSeen.CompareTo(a.LastSeen);
        if (order == 0) order = string.CompareOrdinal(a.Cluster, b.Cluster);
        return order != 0 ? order : string.CompareOrdinal(a.Key, b.Key);
    });

    private static int Handling(ProblemGroup group, DateTimeOffset now) =>
        IsOpen(group, now) ? 0 : group.Acknowledgement!.IsSnoozed(now) ? 2 : 1;

    private static int Breadth(ProblemGroup group) => group.ObjectKind switch
    {
        "Cluster" => 0,
        "Node" => 1,
        "ResourceQuota" => 2,
        _ => 3,
    };
}
