using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>The store as the planners see it: clusters with their labels, and the active namespaces with theirs.</summary>
public static class FleetFacts
{
    /// <summary>The active namespaces of one cluster (Terminating ones take no new objects).</summary>
    public static IReadOnlyList<NamespaceFacts> Namespaces(this FleetStateStore store, string cluster) =>
        [.. store.All<NamespaceSummary>(FleetKind.Namespace, cluster).Where(n => n.Phase == "Active").Select(Of)];

    /// <summary>The clusters <paramref name="visible"/> lets through, and their active namespaces.</summary>
    public static (IReadOnlyList<ClusterFacts> Clusters, IReadOnlyList<NamespaceFacts> Namespaces) Facts(this FleetStateStore store, Func<string, bool> visible)
    {
        var clusters = store.Clusters().Where(c => visible(c.Cluster)).Select(Of).ToList();
        return (clusters, [.. clusters.SelectMany(c => store.Namespaces(c.Name))]);
    }

    /// <summary>
    /// Whether the engine has every fleet-wide role's binding InSync in <paramref name="cluster"/>: from then on what a person
    /// with a fleet-wide role does there as themself (impersonated) is allowed by the cluster.
    /// </summary>
    public static bool FleetRolesBound(this FleetStateStore store, string cluster) =>
        store.All<PolicyTarget>(FleetKind.PolicyTarget, cluster).Count(t => t.OwnerKind == Core.Access.FleetRoles.OwnerKind && t.Status == TargetStatus.InSync)
            >= Core.Access.FleetRoles.Bindings.Count;

    public static ClusterFacts Of(ClusterSummary cluster) => new(cluster.Cluster, cluster.Labels);

    private static NamespaceFacts Of(NamespaceSummary ns) => new(ns.Cluster, ns.Name, ns.Labels.ToDictionary(StringComparer.Ordinal));
}
