using MultiCluster.Core.Fleet;

namespace MultiCluster.Core.Reconcile;

/// <summary>One object of a target and how it stands (the ResourceQuota of a quota policy in one namespace, …).</summary>
public sealed record ObjectState(string Kind, string Name, TargetState State);

/// <summary>
/// One target of the engine: an owner (a quota policy, later a grant or a vCluster) in one namespace of one cluster,
/// with the state of each object it writes there. Kept in the fleet store, so pages and the hub follow it live.
/// </summary>
public sealed record PolicyTarget : IFleetObject
{
    public FleetKind Kind => FleetKind.PolicyTarget;

    public required string Cluster { get; init; }

    /// <summary>What owns the target: <c>policy</c> for quota policies.</summary>
    public required string OwnerKind { get; init; }

    public required string Owner { get; init; }

    /// <summary>Null for a cluster-wide target.</summary>
    public string? Namespace { get; init; }

    public string Key => KeyOf(OwnerKind, Owner, Namespace);

    public PolicyMode Mode { get; init; }

    public IReadOnlyList<ObjectState> Objects { get; init; } = [];

    /// <summary>The worst of the objects' states: what the target's row says.</summary>
    public TargetStatus Status => TargetStatuses.Worst(Objects.Select(o => o.State.Status));

    /// <summary>The first message of an object in the target's status, in plain words.</summary>
    public string? Message => Objects.FirstOrDefault(o => o.State.Status == Status && o.State.Message is not null)?.State.Message;

    /// <summary>When the status last changed (the engine's clock).</summary>
    public DateTimeOffset Since { get; init; }

    public static string KeyOf(string ownerKind, string owner, string? ns) => $"{ownerKind}/{owner}/{ns ?? "-"}";
}

public static class TargetStatuses
{
    /// <summary>Most urgent first: what a target with several objects shows, and the order pages list statuses in.</summary>
    public static IReadOnlyList<TargetStatus> MostUrgentFirst => Urgency;

    private static readonly TargetStatus[] Urgency =
        [TargetStatus.Error, TargetStatus.Conflict, TargetStatus.Drifted, TargetStatus.Missing, TargetStatus.Pending, TargetStatus.InSync];

    public static TargetStatus Worst(IEnumerable<TargetStatus> statuses)
    {
        var worst = Urgency.Length - 1;
        foreach (var status in statuses)
        {
            worst = Math.Min(worst, Array.IndexOf(Urgency, status));
        }
        return Urgency[worst];
    }
}
