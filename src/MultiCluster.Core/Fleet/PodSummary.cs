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

    // The two instants as UTC ticks plus one, 0 for none: 8 bytes each where a DateTimeOffset? takes 24, in each of
    // hundreds of thousands of pods. An instant comes back in UTC; equality (of instants) is what it was.
    private readonly long _lastRestartAt;
    private readonly long _createdAt;

    /// <summary>When a container last terminated and was restarted.</summary>
    public DateTimeOffset? LastRestartAt { get => Instant(_lastRestartAt); init => _lastRestartAt = Ticks(value); }

    /// <summary>Why a container last terminated (OOMKilled, Error…), if one did.</summary>
    public string? LastTerminationReason { get; init; }

    /// <summary>Why a pending pod is not scheduled, as the scheduler said it.</summary>
    public string? SchedulingProblem { get; init; }

    public DateTimeOffset? CreatedAt { get => Instant(_createdAt); init => _createdAt = Ticks(value); }

    public long CpuRequestMillis { get; init; }

    public long MemoryRequestBytes { get; init; }

    /// <summary>The controlling owner (ReplicaSet, StatefulSet, Job…), if any.</summary>
    public string? OwnerKind { get; init; }

    public string? OwnerName { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];

    private static long Ticks(DateTimeOffset? instant) => instant is { } value ? value.UtcTicks + 1 : 0;

    private static DateTimeOffset? Instant(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks - 1, TimeSpan.Zero);
}
