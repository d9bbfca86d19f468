
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
    public PodPage Run(IEnumerable<PodSummary> pods) => PodIndex.Of(pods).Query(this);

    /// <summary>Whether a pod passes every filter (and is in a cluster <paramref name="visible"/> lets through).</summary>
    public Func<PodSummary, bool> Matcher(LabelSelector selector, Func<string, bool>? visible)
    {
        var search = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();
        return p =>
            (Cluster is null || p.Cluster == Cluster) &&
            (Namespace is null || p.Namespace == Namespace) &&
            (Phase is null || p.Phase == Phase) &&
            (Status is null || p.Status == Status) &&
            (Node is null || p.NodeName == Node) &&
            (search is null || p.Name.Contains(search, StringComparison.OrdinalIgnoreCase)) &&
            (visible is null || visible(p.Cluster)) &&
            (selector == Core.LabelSelector.Everything || selector.Matches(new LabelView(p.Labels)));
    }

    /// <summary>
    /// Whether a change to the pod <paramref name="name"/> of <paramref name="cluster"/>/<paramref name="ns"/> may concern this
    /// query, from what a delete still tells (no phase, status, node or labels): false only when it surely does not.
    /// </summary>
    public bool MayConcern(string cluster, string ns, string name) =>
        (Cluster is null || cluster == Cluster) &&
        (Namespace is null || ns == Namespace) &&
        (string.IsNullOrWhiteSpace(Search) || name.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase));
}

public sealed record PodPage(IReadOnlyList<PodSummary> Items, int Total, string? Problem);
