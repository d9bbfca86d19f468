using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Web.Access;

namespace MultiCluster.Web.VirtualClusters;

/// <summary>One row of the Virtual clusters page and the API's list.</summary>
public sealed record VirtualClusterRow(
    string Host,
    string Namespace,
    string Name,
    string Status,
    string? Version,
    string Workload,
    bool Paused,
    DateTimeOffset? PausedAt,
    bool NonDeletable,
    DateTimeOffset? CreatedAt,
    string? RegisteredAs,
    ClusterHealth? RegisteredHealth,
    IReadOnlyList<QuotaResource> Usage)
{
    public string Key => $"{Host}/{Namespace}/{Name}";

    /// <summary>
    /// The workload resource (requests, limits, pods) closest to its limit, for the list's usage column. Service counts are
    /// left out: the vCluster's own LoadBalancer takes the one its default quota allows, so that would always read full.
    /// </summary>
    public QuotaResource? Tightest =>
        Usage.Where(u => u.Fraction is not null && (u.Name.StartsWith("requests.", StringComparison.Ordinal) || u.Name.StartsWith("limits.", StringComparison.Ordinal) || u.Name is "pods" or "count/pods"))
            .OrderByDescending(u => u.Fraction).FirstOrDefault();
}

/// <summary>The vClusters a person sees (on the hosts they see), with the CLI's status and their registered cluster.</summary>
public static class VirtualClusterView
{
    public static IReadOnlyList<VirtualClusterRow> Rows(VisibleClusters visible)
    {
        var registered = visible.Clusters()
            .Select(c => (Cluster: c, At: VirtualClusterLabels.HostOf(c.Labels)))
            .Where(c => c.At is not null)
            .GroupBy(c => c.At!.Value)
            .ToDictionary(g => g.Key, g => g.First().Cluster);
        return [.. visible.All<VirtualClusterSummary>(FleetKind.VirtualCluster)
            .Select(v => Row(visible, v, registered.GetValueOrDefault((v.Cluster, v.Namespace, v.Name))))
            .OrderBy(r => r.Host, StringComparer.Ordinal).ThenBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }

    public static VirtualClusterRow? Find(VisibleClusters visible, string host, string ns, string name) =>
        visible.Get<VirtualClusterSummary>(FleetKind.VirtualCluster, host, FleetKeys.Of(ns, name)) is { } summary
            ? Row(visible, summary, visible.Clusters().FirstOrDefault(c => VirtualClusterLabels.HostOf(c.Labels) == (host, ns, name)))
            : null;

    private static VirtualClusterRow Row(VisibleClusters visible, VirtualClusterSummary v, ClusterSummary? registered)
    {
        var pod = v.Workload == "StatefulSet"
            ? visible.Get<PodSummary>(FleetKind.Pod, v.Cluster, FleetKeys.Of(v.Namespace, v.PodName))
            : visible.All<PodSummary>(FleetKind.Pod, v.Cluster).FirstOrDefault(p => p.Namespace == v.Namespace && p.Name.StartsWith(v.Name + "-", StringComparison.Ordinal) && p.Name.Count(c => c == '-') == v.Name.Count(c => c == '-') + 2);
        var quota = visible.Get<QuotaSummary>(FleetKind.ResourceQuota, v.Cluster, FleetKeys.Of(v.Namespace, VirtualClusterNames.Isolation(v.Name)));
        return new VirtualClusterRow(v.Cluster, v.Namespace, v.Name, VirtualClusterStatus.Of(v.Paused, v.Replicas, pod?.Status), v.Version, v.Workload,
            v.Paused, v.PausedAt, v.NonDeletable, v.CreatedAt, registered?.Cluster, registered?.Health, quota?.Resources ?? []);
    }
}
