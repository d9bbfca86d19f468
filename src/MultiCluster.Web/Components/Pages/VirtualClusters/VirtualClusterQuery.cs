using MultiCluster.Core.VirtualClusters;
using MultiCluster.Web.VirtualClusters;

namespace MultiCluster.Web.Components.Pages.VirtualClusters;

public enum VirtualClusterSort
{
    Name,
    Host,
    Namespace,
    Status,
    Age,
    Usage,
}

/// <summary>The list's text and host filters and its order; the page only binds them.</summary>
public sealed record VirtualClusterQuery(string? Search = null, string? Host = null, VirtualClusterSort Sort = VirtualClusterSort.Name, bool Descending = false)
{
    /// <summary>The same column again turns the order round; another column starts with what matters most (newest, fullest first).</summary>
    public VirtualClusterQuery SortedBy(VirtualClusterSort sort) =>
        Sort == sort ? this with { Descending = !Descending } : this with { Sort = sort, Descending = sort is VirtualClusterSort.Usage };

    /// <summary>Whether a filter hides some rows (the empty state then says so instead of "no vClusters yet").</summary>
    public bool Filters => !string.IsNullOrWhiteSpace(Search) || Host is not null;

    public IReadOnlyList<VirtualClusterRow> Run(IEnumerable<VirtualClusterRow> rows)
    {
        var search = Search?.Trim();
        var matching = rows
            .Where(r => Host is null || r.Host == Host)
            .Where(r => string.IsNullOrEmpty(search) || Matches(r, search));
        var ordered = Sort switch
        {
            VirtualClusterSort.Host => Order(matching, r => r.Host, StringComparer.Ordinal),
            VirtualClusterSort.Namespace => Order(matching, r => r.Namespace, StringComparer.Ordinal),
            VirtualClusterSort.Status => Order(matching, r => r.Status, StringComparer.Ordinal),
            // Age ascending is the youngest first, as the column reads (2m before 3d).
            VirtualClusterSort.Age => Order(matching, r => r.CreatedAt ?? DateTimeOffset.MinValue, Comparer<DateTimeOffset>.Create((a, b) => b.CompareTo(a))),
            VirtualClusterSort.Usage => Order(matching, r => r.Tightest?.Fraction ?? -1, Comparer<double>.Default),
            _ => Order(matching, r => r.Name, StringComparer.Ordinal),
        };
        return [.. ordered.ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Host, StringComparer.Ordinal)];
    }

    private IOrderedEnumerable<VirtualClusterRow> Order<T>(IEnumerable<VirtualClusterRow> rows, Func<VirtualClusterRow, T> key, IComparer<T> comparer) =>
        Descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);

    private static bool Matches(VirtualClusterRow row, string search) =>
        new[] { row.Name, row.Namespace, row.Host, row.Status, row.RegisteredAs ?? "" }.Any(f => f.Contains(search, StringComparison.OrdinalIgnoreCase));
}

/// <summary>How a vCluster's status looks in the list: the CLI's words, coloured.</summary>
public static class VirtualClusterStatusLook
{
    public static MudBlazor.Color ColorOf(string status) => status switch
    {
        VirtualClusterStatus.Paused => MudBlazor.Color.Info,
        "Running" => MudBlazor.Color.Success,
        VirtualClusterStatus.ScaledDown or VirtualClusterStatus.Unknown => MudBlazor.Color.Default,
        _ => MudBlazor.Color.Warning,
    };
}
