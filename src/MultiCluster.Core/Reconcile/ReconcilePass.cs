namespace MultiCluster.Core.Reconcile;

/// <summary>What the engine should do about one object: write it, delete it (ours, no longer wanted), or nothing.</summary>
public enum ReconcileAction
{
    None,
    Apply,
    Delete,
}

/// <summary>One object judged: what is wanted and what is there (either may be null), how it stands and what to do.</summary>
public sealed record ObjectJudgement(string Key, string Owner, ManagedObject? Desired, ManagedObject? Actual, TargetState State, ReconcileAction Action);

/// <summary>What the engine remembers of an object between passes: whether it was seen written, and its last failed write.</summary>
public interface IReconcileMemory
{
    /// <summary>Whether the object existed as ours before (so its absence now means someone deleted it).</summary>
    bool Seen(string key);

    /// <summary>The API's words from the last write that failed, until one succeeds.</summary>
    string? LastError(string key);

    /// <summary>Whether a person asked for this object to be written once even though its owner only informs.</summary>
    bool RepairRequested(string key);
}

/// <summary>
/// The diff step of the engine over one cluster, pure: every desired object against what the informers hold, and every
/// object of ours that nothing wants any more, judged in the one status vocabulary with the action to take.
/// </summary>
public static class ReconcilePass
{
    public static IReadOnlyList<ObjectJudgement> Judge(
        string ownerKind,
        IReadOnlyList<ManagedObject> desired,
        IReadOnlyDictionary<string, PolicyMode> modes,
        IEnumerable<ManagedObject> observed,
        bool reachable,
        IReconcileMemory memory)
    {
        var actual = observed.ToDictionary(o => o.Key, StringComparer.Ordinal);
        var judgements = new List<ObjectJudgement>(desired.Count);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var want in desired)
        {
            wanted.Add(want.Key);
            var owner = want.Owner(ownerKind)!;
            var enforce = modes.GetValueOrDefault(owner) == PolicyMode.Enforce || memory.RepairRequested(want.Key);
            var found = actual.GetValueOrDefault(want.Key);
            var state = TargetDiff.Judge(want, found, ownerKind, reachable, memory.Seen(want.Key));
            var action = reachable && enforce && state.Status is TargetStatus.Pending or TargetStatus.Missing or TargetStatus.Drifted
                ? ReconcileAction.Apply
                : ReconcileAction.None;
            if (!enforce && state.Status is TargetStatus.Pending or TargetStatus.Missing or TargetStatus.Drifted && reachable)
            {
                state = state with { Message = state.Message ?? "This policy only informs: Repair writes it." };
            }
            if (state.Status != TargetStatus.InSync && reachable && memory.LastError(want.Key) is { } error && state.Status != TargetStatus.Conflict)
            {
                state = state with { Status = TargetStatus.Error, Message = error };
            }
            judgements.Add(new ObjectJudgement(want.Key, owner, want, found, state, action));
        }
        foreach (var (key, found) in actual)
        {
            if (!wanted.Contains(key) && found.Owner(ownerKind) is { } owner)
            {
                judgements.Add(new ObjectJudgement(key, owner, null, found, TargetState.Of(TargetStatus.Pending, "No longer wanted: it is deleted."),
                    reachable ? ReconcileAction.Delete : ReconcileAction.None));
            }
        }
        return judgements;
    }

    /// <summary>The targets (owner and namespace) of the desired objects, each with its objects' states.</summary>
    public static IEnumerable<PolicyTarget> Targets(string ownerKind, string cluster, IEnumerable<ObjectJudgement> judgements, IReadOnlyDictionary<string, PolicyMode> modes) =>
        judgements.Where(j => j.Desired is not null)
            .GroupBy(j => (j.Owner, j.Desired!.Namespace))
            .Select(g => new PolicyTarget
            {
                Cluster = cluster,
                OwnerKind = ownerKind,
                Owner = g.Key.Owner,
                Namespace = g.Key.Namespace,
                Mode = modes.GetValueOrDefault(g.Key.Owner),
                Objects = [.. g.OrderBy(j => j.Desired!.Kind, StringComparer.Ordinal).Select(j => new ObjectState(j.Desired!.Kind, j.Desired.Name, j.State))],
            });
}
