namespace MultiCluster.Core.Fleet;

/// <summary>What pages and rules need of a node.</summary>
public sealed record NodeSummary : IFleetObject
{
    public FleetKind Kind => FleetKind.Node;

    public required string Cluster { get; init; }

    public required string Name { get; init; }

    public string Key => Name;

    public bool Ready { get; init; }

    /// <summary>When the Ready condition last changed (how long a node has been NotReady).</summary>
    public DateTimeOffset? ReadySince { get; init; }

    /// <summary>Comma-separated roles from <c>node-role.kubernetes.io/*</c> labels, or empty.</summary>
    public string Roles { get; init; } = "";

    public string KubeletVersion { get; init; } = "";

    public long CpuAllocatableMillis { get; init; }

    public long MemoryAllocatableBytes { get; init; }

    public int PodsAllocatable { get; init; }

    /// <summary>Cordoned: new pods are not scheduled here.</summary>
    public bool Unschedulable { get; init; }

    /// <summary>Pressure conditions that are True: MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.</summary>
    public IReadOnlyList<string> Pressures { get; init; } = [];

    /// <summary>Taints as <c>key=value:Effect</c>.</summary>
    public IReadOnlyList<string> Taints { get; init; } = [];

    public DateTimeOffset? CreatedAt { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];
}
