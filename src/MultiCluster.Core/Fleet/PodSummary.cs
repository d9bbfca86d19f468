namespace MultiCluster.Core.Fleet;

/// <summary>
/// What pages and rules need of a pod, a few hundred bytes instead of the tens of kilobytes of a full object.
/// The full pod is fetched when its detail page opens.
/// </summary>
public sealed record PodSummary : IFleetObject
{
    public FleetKind Kind => FleetKind.Pod;

    public required string Cluster { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string Key => FleetKeys.Of(Namespace, Name);

    /// <summary>Pending, Running, Succeeded, Failed or Unknown.</summary>
    public string Phase { get; init; } = "Pending";

    /// <summary>The STATUS kubectl prints: the phase, or the reason that matters more (CrashLoopBackOff, ImagePullBackOff, Terminating…).</summary>
    public string Status { get; init; } = "Pending";

    public string? NodeName { get; init; }

    public int ReadyContainers { get; init; }

    public int Containers { get; init; }

    public int Restarts { get; init; }

    /// <summary>When a container last terminated and was restarted.</summary>
    public DateTimeOffset? LastRestartAt { get; init; }

    /// <summary>Why a container last terminated (OOMKilled, Error…), if one did.</summary>
    public string? LastTerminationReason { get; init; }

    /// <summary>Why a pending pod is not scheduled, as the scheduler said it.</summary>
    public string? SchedulingProblem { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public long CpuRequestMillis { get; init; }

    public long MemoryRequestBytes { get; init; }

    /// <summary>The controlling owner (ReplicaSet, StatefulSet, Job…), if any.</summary>
    public string? OwnerKind { get; init; }

    public string? OwnerName { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];
}
