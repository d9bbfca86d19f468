using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Quotas;

/// <summary>A namespace two policies of equal priority both reach: refused at save time.</summary>
public sealed record QuotaOverlap(string Policy, string OtherPolicy, string Cluster, string Namespace);

/// <summary>What the engine should find in the clusters: every object of every policy, and where a policy gave way to a higher one.</summary>
public sealed record QuotaPlan(IReadOnlyList<ManagedObject> Desired, IReadOnlyList<QuotaOverlap> Shadowed);

/// <summary>
/// The plan step of the engine for quota policies, pure: from the policies, the clusters' labels and the namespaces,
/// the ResourceQuota and LimitRange each matching namespace should hold. No I/O; the Kubernetes side compares this with
/// what the informers hold (<see cref="TargetDiff"/>) and applies the difference.
/// </summary>
public static class QuotaPlanner
{
    public static bool SelectsCluster(QuotaPolicy policy, ClusterFacts cluster) => policy.Scope.SelectsCluster(cluster);

    public static bool SelectsNamespace(QuotaPolicy policy, NamespaceFacts ns) => policy.Scope.SelectsNamespace(ns);

    /// <summary>The namespaces <paramref name="policy"/> reaches, in cluster and name order.</summary>
    public static IReadOnlyList<NamespaceFacts> Targets(QuotaPolicy policy, IEnumerable<ClusterFacts> clusters, IEnumerable<NamespaceFacts> namespaces) =>
        policy.Scope.Targets(clusters, namespaces);

    /// <summary>Where <paramref name="candidate"/> and another policy of the same priority would both write: the save is refused with this list.</summary>
    public static IReadOnlyList<QuotaOverlap> Overlaps(QuotaPolicy candidate, IEnumerable<QuotaPolicy> others, IReadOnlyList<ClusterFacts> clusters, IReadOnlyList<NamespaceFacts> namespaces)
    {
        var mine = Targets(candidate, clusters, namespaces).Select(n => (n.Cluster, n.Name)).ToHashSet();
        return [.. others
            .Where(o => o.Name != candidate.Name && o.Priority == candidate.Priority)
            .SelectMany(o => Targets(o, clusters, namespaces).Where(n => mine.Contains((n.Cluster, n.Name))).Select(n => new QuotaOverlap(candidate.Name, o.Name, n.Cluster, n.Name)))];
    }

    /// <summary>Every object every policy should have written; a namespace reached by several policies gets the highest priority's only.</summary>
    public static QuotaPlan Plan(IEnumerable<QuotaPolicy> policies, IReadOnlyList<ClusterFacts> clusters, IReadOnlyList<NamespaceFacts> namespaces)
    {
        var winners = new Dictionary<(string Cluster, string Namespace), QuotaPolicy>();
        var shadowed = new List<QuotaOverlap>();
        foreach (var policy in policies.OrderByDescending(p => p.Priority).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            foreach (var ns in Targets(policy, clusters, namespaces))
            {
                if (winners.TryGetValue((ns.Cluster, ns.Name), out var winner))
                {
                    shadowed.Add(new QuotaOverlap(policy.Name, winner.Name, ns.Cluster, ns.Name));
                    continue;
                }
                winners[(ns.Cluster, ns.Name)] = policy;
            }
        }
        var desired = winners.OrderBy(w => w.Key.Cluster, StringComparer.Ordinal).ThenBy(w => w.Key.Namespace, StringComparer.Ordinal)
            .SelectMany(w => ObjectsOf(w.Value, w.Key.Cluster, w.Key.Namespace))
            .ToList();
        return new QuotaPlan(desired, shadowed);
    }

    /// <summary>The ResourceQuota and LimitRange (each when the policy sets it) for one namespace.</summary>
    public static IEnumerable<ManagedObject> ObjectsOf(QuotaPolicy policy, string cluster, string ns)
    {
        var labels = ManagedLabels.For(QuotaPolicy.OwnerKind, policy.Name);
        var annotations = ManagedLabels.Annotations(policy.Generation);
        if (policy.Hard.Count > 0)
        {
            yield return new ManagedObject(cluster, QuotaFields.ResourceQuota, ns, policy.ObjectName, labels, annotations, QuotaFields.OfQuota(policy.Hard, policy.Scopes));
        }
        if (policy.Limits.Count > 0)
        {
            yield return new ManagedObject(cluster, QuotaFields.LimitRange, ns, policy.ObjectName, labels, annotations, QuotaFields.OfLimits(policy.Limits));
        }
    }
}
