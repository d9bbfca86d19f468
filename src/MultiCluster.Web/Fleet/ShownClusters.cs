using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Web.Fleet;

/// <summary>
/// What a page's view depends on of each cluster: that it is there, its health and problem, and its labels (they
/// decide who sees it). A watch republishes its cluster every few seconds for its last contact alone; over 150 clusters
/// that is a change every 33 ms, and a page that took each as a reason to read again re-read the store at every refresh tick.
/// </summary>
public sealed class ShownClusters
{
    public static readonly ShownClusters Nothing = new([]);

    private readonly Dictionary<string, ClusterSummary> _shown;

    /// <param name="clusters">Every cluster of the store, read before the page reads what it shows.</param>
    public ShownClusters(IEnumerable<ClusterSummary> clusters) =>
        _shown = clusters.ToDictionary(c => c.Cluster, StringComparer.Ordinal);

    /// <summary>Whether the cluster change may alter what is shown: a cluster new or gone, another health, problem or labels.</summary>
    public bool Changes(FleetChange change) =>
        change.Object is not ClusterSummary cluster
        || !_shown.TryGetValue(cluster.Cluster, out var shown)
        || shown.Health != cluster.Health
        || !string.Equals(shown.Problem, cluster.Problem, StringComparison.Ordinal)
        || !SameLabels(shown.Labels, cluster.Labels);

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        ReferenceEquals(a, b) || (a.Count == b.Count && a.All(l => b.TryGetValue(l.Key, out var value) && value == l.Value));
}
