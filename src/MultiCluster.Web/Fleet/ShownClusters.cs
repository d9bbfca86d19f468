using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Web.Fleet;

/// <summary>
/// What a page shows of each cluster it can see: its name and, when it is not Synced, its health and problem. A watch
/// republishes its cluster every few seconds for its last contact alone; over 150 clusters that is a change every few
/// milliseconds, and a page that took each as a reason to read again re-read the store at every refresh tick.
/// </summary>
public sealed class ShownClusters
{
    public static readonly ShownClusters Nothing = new([]);

    private readonly Dictionary<string, (ClusterHealth Health, string? Problem)> _shown;

    public ShownClusters(IEnumerable<ClusterSummary> clusters) =>
        _shown = clusters.ToDictionary(c => c.Cluster, c => (c.Health, c.Problem), StringComparer.Ordinal);

    /// <summary>Whether the cluster change alters what is shown: a cluster new or gone, or another health or problem.</summary>
    public bool Changes(FleetChange change) =>
        change.Object is not ClusterSummary cluster
        || !_shown.TryGetValue(cluster.Cluster, out var shown)
        || shown.Health != cluster.Health
        || !string.Equals(shown.Problem, cluster.Problem, StringComparison.Ordinal);
}
