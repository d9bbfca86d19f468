
namespace MultiCluster.Core.Fleet;

public enum PodSort
{
    Cluster,
    Namespace,
    Name,
    Status,
    Restarts,
    Age,
    Node,
}

/// <summary>What the Pods page asks of the store: filters, an order and a page. Runs on the server, over every pod.</summary>
public sealed record PodQuery
{
    public string? Search { get; init; }

    public string? Cluster { get; init; }

    public string? Namespace { get; init; }

    public string? Phase { get; init; }

    /// <summary>The STATUS column value (CrashLoopBackOff, ImagePullBackOff, Pending…).</summary>
    public string? Status { get; init; }

    public string? Node { get; init; }

    public string? LabelSelector { get; init; }

    public PodSort SortBy { get; init; } = PodSort.Name;

    public bool Descending { get; init; }

    public int Page { get; init; }

    public int PageSize { get; init; } = 50;

    /// <summary>The page of matching pods and how many match in all; a bad label selector is reported, not thrown.</summary>
    public PodPage Run(IEnumerable<PodSummary> pods)
    {
        var (selector, error) = Core.LabelSelector.Parse(LabelSelector);
        if (error is not null)
        {
            return new PodPage([], 0, error);
        }
        var matching = pods.Where(p =>
            (Cluster is null || p.Cluster == Cluster) &&
            (Namespace is null || p.Namespace == Namespace) &&
            (Phase is null || p.Phase == Phase) &&
            (Status is null || p.Status == Status) &&
            (Node is null || p.NodeName == Node) &&
            (string.IsNullOrWhiteSpace(Search) || p.Name.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase)) &&
            (selector == Core.LabelSelector.Everything || selector.Matches(p.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal))));
        var list = matching.ToList();
        var ordered = Order(list);
        var items = ordered.Skip(Math.Max(0, Page) * PageSize).Take(PageSize).ToList();
        return new PodPage(items, list.Count, null);
    }

    private IEnumerable<PodSummary> Order(List<PodSummary> pods)
    {
        IOrderedEnumerable<PodSummary> ordered = SortBy switch
        {
            PodSort.Cluster => By(pods, p => p.Cluster),
            PodSort.Namespace => By(pods, p => p.Namespace),
            PodSort.Status => By(pods, p => p.Status),
            PodSort.Node => By(pods, p => p.NodeName ?? ""),
            PodSort.Restarts => Descending ? pods.OrderByDescending(p => p.Restarts) : pods.OrderBy(p => p.Restarts),
            // Age: the youngest first when ascending, like kubectl's AGE column read top-down.
            PodSort.Age => Descending ? pods.OrderBy(p => p.CreatedAt) : pods.OrderByDescending(p => p.CreatedAt),
            _ => By(pods, p => p.Name),
        };
        return ordered.ThenBy(p => p.Cluster, StringComparer.Ordinal).ThenBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal);
    }

    private IOrderedEnumerable<PodSummary> By(List<PodSummary> pods, Func<PodSummary, string> key) =>
        Descending ? pods.OrderByDescending(key, StringComparer.Ordinal) : pods.OrderBy(key, StringComparer.Ordinal);
}

public sealed record PodPage(IReadOnlyList<PodSummary> Items, int Total, string? Problem);
