using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;

namespace MultiCluster.Web.Quotas;

/// <summary>How close a quota's resource is to being refused: the triage rules' lines (warning at their threshold, full at 100%).</summary>
public enum UsageLevel
{
    Normal,
    Warning,
    Full,
}

/// <summary>One resource of one ResourceQuota (ours or not) in the usage table.</summary>
public sealed record QuotaUsageRow(string Cluster, string Namespace, string Quota, string Resource, string Used, string Hard, double? Fraction, UsageLevel Level)
{
    /// <summary>The policy that wrote the quota, judged by its name (<c>mc-&lt;policy&gt;</c>); null for others.</summary>
    public string? Policy => Quota.StartsWith(QuotaPolicy.ObjectNameOf(""), StringComparison.Ordinal) ? Quota[QuotaPolicy.ObjectNameOf("").Length..] : null;
}

public enum QuotaUsageSort
{
    Fraction,
    Cluster,
    Namespace,
}

/// <summary>The usage table's filters and order.</summary>
public sealed record QuotaUsageQuery
{
    /// <summary>Cluster labels, in the Overview filter's syntax.</summary>
    public string? ClusterSelector { get; init; }

    /// <summary>Part of the namespace's name, any case.</summary>
    public string? Namespace { get; init; }

    /// <summary>Only the quotas this policy wrote (named <c>mc-&lt;policy&gt;</c>).</summary>
    public string? Policy { get; init; }

    public QuotaUsageSort Sort { get; init; } = QuotaUsageSort.Fraction;

    public bool Descending { get; init; } = true;

    /// <param name="warning">The share at which a resource warns (the triage threshold, 0.9 by default).</param>
    /// <returns>The rows, or all rows and the selector's problem when it does not parse.</returns>
    public (IReadOnlyList<QuotaUsageRow> Rows, string? Error) Run(IEnumerable<QuotaSummary> quotas, Func<string, IReadOnlyDictionary<string, string>?> labelsOf, double warning)
    {
        var (selector, error) = LabelSelector.Parse(ClusterSelector);
        var objectName = string.IsNullOrEmpty(Policy) ? null : QuotaPolicy.ObjectNameOf(Policy);
        var rows = quotas
            .Where(q => error is not null || selector.Matches(labelsOf(q.Cluster) ?? new Dictionary<string, string>()))
            .Where(q => string.IsNullOrWhiteSpace(Namespace) || q.Namespace.Contains(Namespace.Trim(), StringComparison.OrdinalIgnoreCase))
            .Where(q => objectName is null || q.Name == objectName)
            .SelectMany(q => q.Resources.Select(r => new QuotaUsageRow(q.Cluster, q.Namespace, q.Name, r.Name, r.Used, r.Hard, r.Fraction, LevelOf(r, warning))));
        return (Order(rows).ToList(), error);
    }

    public static UsageLevel LevelOf(QuotaResource resource, double warning) => resource.Fraction switch
    {
        >= 1 => UsageLevel.Full,
        { } share when share >= warning => UsageLevel.Warning,
        // A hard limit of zero with anything used refuses every new object, like a full one.
        null when resource.UsedValue > 0 => UsageLevel.Full,
        _ => UsageLevel.Normal,
    };

    /// <summary>The order after a click on a column's header: the same column flips, another starts at its natural direction.</summary>
    public QuotaUsageQuery SortedBy(QuotaUsageSort sort) =>
        this with { Sort = sort, Descending = sort == Sort ? !Descending : sort == QuotaUsageSort.Fraction };

    private IOrderedEnumerable<QuotaUsageRow> Order(IEnumerable<QuotaUsageRow> rows)
    {
        var ordered = Sort switch
        {
            QuotaUsageSort.Cluster => By(rows, r => r.Cluster),
            QuotaUsageSort.Namespace => By(rows, r => r.Namespace),
            _ => Descending ? rows.OrderByDescending(Share) : rows.OrderBy(Share),
        };
        return ordered.ThenBy(r => r.Cluster, StringComparer.Ordinal).ThenBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Quota, StringComparer.Ordinal).ThenBy(r => r.Resource, StringComparer.Ordinal);
    }

    private IOrderedEnumerable<QuotaUsageRow> By(IEnumerable<QuotaUsageRow> rows, Func<QuotaUsageRow, string> key) =>
        Descending ? rows.OrderByDescending(key, StringComparer.Ordinal) : rows.OrderBy(key, StringComparer.Ordinal);

    // A zero hard limit in use sorts with the fullest; one not in use with the emptiest.
    private static double Share(QuotaUsageRow row) => row.Fraction ?? (row.Level == UsageLevel.Full ? double.MaxValue : -1);
}
