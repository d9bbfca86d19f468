using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Quotas;

/// <summary>What saving a policy would do to one object.</summary>
public enum PreviewChange
{
    Create,
    Update,
    Unchanged,

    /// <summary>An object of that name exists and is not ours: it stays, and the target shows Conflict.</summary>
    Conflict,
    Delete,
}

public sealed record PreviewObject(string Cluster, string Namespace, string Kind, string Name, PreviewChange Change, IReadOnlyList<FieldDifference> Differences);

/// <summary>A namespace already using more of a resource than the new hard limit allows: its next deploy would be refused.</summary>
public sealed record UsageOverLimit(string Cluster, string Namespace, string Resource, string Used, string Hard);

/// <summary>What saving a policy would do, before it is saved: where it reaches, what it writes, what it would refuse.</summary>
public sealed record QuotaPreview(
    IReadOnlyList<NamespaceFacts> Targets,
    IReadOnlyList<PreviewObject> Objects,
    IReadOnlyList<QuotaOverlap> Overlaps,
    IReadOnlyList<QuotaOverlap> Shadowed,
    IReadOnlyList<UsageOverLimit> OverLimit)
{
    public int Count(PreviewChange change) => Objects.Count(o => o.Change == change);

    /// <param name="candidate">The policy as the editor holds it (its name says whether it replaces a stored one).</param>
    /// <param name="stored">Every policy as stored.</param>
    /// <param name="observed">The ResourceQuotas and LimitRanges the informers hold, in the engine's terms.</param>
    /// <param name="quotas">Every ResourceQuota's usage, ours or not.</param>
    public static QuotaPreview Of(QuotaPolicy candidate, IReadOnlyList<QuotaPolicy> stored, IReadOnlyList<ClusterFacts> clusters, IReadOnlyList<NamespaceFacts> namespaces,
        IEnumerable<ManagedObject> observed, IEnumerable<QuotaSummary> quotas)
    {
        var previous = stored.SingleOrDefault(p => p.Name == candidate.Name);
        var next = candidate with { Generation = (previous?.Generation ?? 0) + 1 };
        var others = stored.Where(p => p.Name != candidate.Name).ToList();
        var plan = QuotaPlanner.Plan([.. others, next], clusters, namespaces);
        var actual = observed.ToDictionary(o => o.Key, StringComparer.Ordinal);
        var objects = new List<PreviewObject>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var desired in plan.Desired.Where(d => d.Owner(QuotaPolicy.OwnerKind) == candidate.Name))
        {
            wanted.Add(desired.Key);
            var found = actual.GetValueOrDefault(desired.Key);
            var state = TargetDiff.Judge(desired, found, QuotaPolicy.OwnerKind, reachable: true, written: false);
            var change = state.Status switch
            {
                TargetStatus.InSync => PreviewChange.Unchanged,
                TargetStatus.Conflict => PreviewChange.Conflict,
                _ when found is null => PreviewChange.Create,
                _ => PreviewChange.Update,
            };
            objects.Add(new PreviewObject(desired.Cluster, desired.Namespace!, desired.Kind, desired.Name, change, state.Differences));
        }
        objects.AddRange(actual.Values
            .Where(o => o.Owner(QuotaPolicy.OwnerKind) == candidate.Name && !wanted.Contains(o.Key))
            .Select(o => new PreviewObject(o.Cluster, o.Namespace!, o.Kind, o.Name, PreviewChange.Delete, [])));
        var targets = QuotaPlanner.Targets(next, clusters, namespaces);
        var reached = targets.Select(t => (t.Cluster, t.Name)).ToHashSet();
        var overLimit = quotas
            .Where(q => reached.Contains((q.Cluster, q.Namespace)))
            .SelectMany(q => q.Resources.Select(r => (q.Cluster, q.Namespace, r)))
            .Where(x => next.Hard.TryGetValue(x.r.Name, out var hard) && Quantities.IsValid(hard) && x.r.UsedValue > Quantities.Parse(hard))
            .Select(x => new UsageOverLimit(x.Cluster, x.Namespace, x.r.Name, x.r.Used, next.Hard[x.r.Name]))
            .DistinctBy(u => (u.Cluster, u.Namespace, u.Resource))
            .OrderBy(u => u.Cluster, StringComparer.Ordinal).ThenBy(u => u.Namespace, StringComparer.Ordinal).ThenBy(u => u.Resource, StringComparer.Ordinal)
            .ToList();
        return new QuotaPreview(targets, [.. objects.OrderBy(o => o.Cluster, StringComparer.Ordinal).ThenBy(o => o.Namespace, StringComparer.Ordinal).ThenBy(o => o.Kind, StringComparer.Ordinal)],
            QuotaPlanner.Overlaps(next, others, clusters, namespaces),
            [.. plan.Shadowed.Where(s => s.Policy == candidate.Name || s.OtherPolicy == candidate.Name)],
            overLimit);
    }
}
