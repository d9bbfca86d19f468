using MultiCluster.Core;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Clusters;

/// <summary>The Clusters table's search box and label selector.</summary>
public static class ClusterListFilter
{
    public static IReadOnlyList<Cluster> Apply(IEnumerable<Cluster> clusters, string? search, LabelSelector selector) =>
        clusters
            .Where(c => selector.Matches(c.Labels) && MatchesSearch(c, search))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();

    private static bool MatchesSearch(Cluster cluster, string? search) =>
        string.IsNullOrWhiteSpace(search)
        || cluster.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
        || cluster.DisplayName.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
        || cluster.ApiServerUrl.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase);
}
