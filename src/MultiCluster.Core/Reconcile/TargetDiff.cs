namespace MultiCluster.Core.Reconcile;

/// <summary>
/// Desired against actual for one target: the diff step of the engine, pure. Only the fields the owner sets are
/// compared (others may set fields of their own); quantities compare by value, as the API server stores them
/// canonically ("1000m" comes back as "1").
/// </summary>
public static class TargetDiff
{
    /// <param name="desired">What the owner says the object is.</param>
    /// <param name="actual">What the informers hold under that name, or null.</param>
    /// <param name="ownerKind">Whose label marks our objects (<c>policy</c>, …).</param>
    /// <param name="reachable">Whether the cluster answers; an unreachable cluster's targets wait as Pending.</param>
    /// <param name="written">Whether the engine has written this target before (so its absence means someone deleted it).</param>
    public static TargetState Judge(ManagedObject desired, ManagedObject? actual, string ownerKind, bool reachable, bool written)
    {
        if (!reachable)
        {
            return TargetState.Of(TargetStatus.Pending, "The cluster cannot be reached; the object is written when it answers again.");
        }
        if (actual is null)
        {
            return TargetState.Of(written ? TargetStatus.Missing : TargetStatus.Pending);
        }
        var owner = actual.Owner(ownerKind);
        if (owner is null || owner != desired.Owner(ownerKind))
        {
            return TargetState.Of(TargetStatus.Conflict,
                $"{actual.Kind} {actual.Name} exists and is not written by this {ownerKind}{(owner is null ? "" : $" but by {ownerKind} '{owner}'")}; it is left alone.");
        }
        var differences = Differences(desired, actual);
        if (actual.Generation is { } generation && desired.Generation is { } wanted && generation < wanted)
        {
            return new TargetState(TargetStatus.Pending, differences, $"Written from generation {generation}; generation {wanted} is not applied yet.");
        }
        return differences.Count == 0 ? TargetState.Of(TargetStatus.InSync) : new TargetState(TargetStatus.Drifted, differences);
    }

    /// <summary>The owned fields whose values differ, in path order.</summary>
    public static IReadOnlyList<FieldDifference> Differences(ManagedObject desired, ManagedObject actual) =>
        [.. desired.Fields
            .Where(f => !actual.Fields.TryGetValue(f.Key, out var value) || !SameValue(f.Value, value))
            .Select(f => new FieldDifference(f.Key, f.Value, actual.Fields.GetValueOrDefault(f.Key)))
            .OrderBy(d => d.Path, StringComparer.Ordinal)];

    private static bool SameValue(string desired, string actual) =>
        desired == actual || (Quantities.IsValid(desired) && Quantities.IsValid(actual) && Quantities.Parse(desired) == Quantities.Parse(actual));
}
