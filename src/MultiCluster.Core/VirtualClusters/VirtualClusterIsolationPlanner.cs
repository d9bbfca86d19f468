using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.VirtualClusters;

/// <summary>
/// The isolation the dashboard keeps around one vCluster it created: the quota and limit range values of its create, for
/// its host namespace. Kept in the registry; the engine writes them as ResourceQuota and LimitRange <c>vc-&lt;name&gt;</c>
/// and repairs them (a tenant with rights in the namespace cannot lift their own quota).
/// </summary>
public sealed record VirtualClusterIsolationSpec(
    string Host,
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Quota,
    IReadOnlyDictionary<string, string> DefaultLimits,
    IReadOnlyDictionary<string, string> DefaultRequests,
    long Generation = 1)
{
    public static VirtualClusterIsolationSpec Of(VirtualClusterSpec spec) =>
        new(spec.Host, spec.EffectiveNamespace, spec.Name, spec.Quota, spec.DefaultLimits, spec.DefaultRequests);
}

/// <summary>Plans vCluster isolation for the engine: pure, like the quota and access planners.</summary>
public static class VirtualClusterIsolationPlanner
{
    /// <summary>The owner label's kind: <c>multicluster.io/vcluster-isolation: &lt;vcluster&gt;</c> marks the objects.</summary>
    public const string OwnerKind = "vcluster-isolation";

    /// <summary>The ResourceQuota and LimitRange wanted in <paramref name="cluster"/>: those of its vClusters whose namespace exists.</summary>
    public static ClusterPlan Plan(IEnumerable<VirtualClusterIsolationSpec> isolations, ClusterFacts cluster, IReadOnlyList<NamespaceFacts> namespaces)
    {
        var present = namespaces.Where(n => n.Cluster == cluster.Name).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var mine = isolations.Where(i => i.Host == cluster.Name && present.Contains(i.Namespace)).ToList();
        return new ClusterPlan([.. mine.SelectMany(ObjectsOf)], mine.ToDictionary(i => i.Name, _ => PolicyMode.Enforce, StringComparer.Ordinal));
    }

    public static IEnumerable<ManagedObject> ObjectsOf(VirtualClusterIsolationSpec isolation)
    {
        var labels = ManagedLabels.For(OwnerKind, isolation.Name);
        var annotations = ManagedLabels.Annotations(isolation.Generation);
        var name = VirtualClusterNames.Isolation(isolation.Name);
        yield return new ManagedObject(isolation.Host, QuotaFields.ResourceQuota, isolation.Namespace, name, labels, annotations, QuotaFields.OfQuota(isolation.Quota, []));
        yield return new ManagedObject(isolation.Host, QuotaFields.LimitRange, isolation.Namespace, name, labels, annotations,
            QuotaFields.OfLimits([new LimitRangeItem { Type = LimitRangeItem.Container, Default = isolation.DefaultLimits, DefaultRequest = isolation.DefaultRequests }]));
    }
}
