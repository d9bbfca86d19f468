namespace MultiCluster.Core.Reconcile;

/// <summary>One status vocabulary for everything the engine writes (quotas, access grants, vCluster isolation).</summary>
public enum TargetStatus
{
    /// <summary>The object in the cluster is what the owner says.</summary>
    InSync,

    /// <summary>Not written yet, written from an older generation, or the cluster cannot be reached right now.</summary>
    Pending,

    /// <summary>Changed outside the dashboard: the differences say which fields.</summary>
    Drifted,

    /// <summary>Written once, then deleted outside the dashboard.</summary>
    Missing,

    /// <summary>An object with our name exists and is not ours: it is never touched.</summary>
    Conflict,

    /// <summary>The API refused the write; the message says why.</summary>
    Error,
}

/// <summary>Whether owners repair what drifted, or only report it.</summary>
public enum PolicyMode
{
    Enforce,
    Inform,
}

/// <summary>One field the cluster holds differently from what the owner says (null: absent on that side).</summary>
public sealed record FieldDifference(string Path, string? Desired, string? Actual);

/// <summary>A target's status, with the differences of a drifted one or the message of a failed one.</summary>
public sealed record TargetState(TargetStatus Status, IReadOnlyList<FieldDifference> Differences, string? Message = null)
{
    public static TargetState Of(TargetStatus status, string? message = null) => new(status, [], message);
}
