namespace MultiCluster.Core.Fleet;

/// <summary>One cluster at a glance: what the Overview shows per cluster and what rules can read.</summary>
public sealed record ClusterOverview(
    ClusterSummary Cluster,
    int NodesReady,
    int Nodes,
    IReadOnlyDictionary<string, int> PodsByPhase,
    int Pods,
    long CpuRequestedMillis,
    long CpuAllocatableMillis,
    long MemoryRequestedBytes,
    long MemoryAllocatableBytes,
    int Warnings)
{
    /// <summary>Requests over this share of allocatable: new pods will soon not fit.</summary>
    public const double OverProvisioned = 0.9;

    /// <summary>Requests under this share of allocatable: capacity paid for and unused.</summary>
    public const double UnderProvisioned = 0.2;

    public double? CpuShare => CpuAllocatableMillis > 0 ? (double)CpuRequestedMillis / CpuAllocatableMillis : null;

    public double? MemoryShare => MemoryAllocatableBytes > 0 ? (double)MemoryRequestedBytes / MemoryAllocatableBytes : null;

    public int PodsIn(string phase) => PodsByPhase.TryGetValue(phase, out var count) ? count : 0;

    /// <summary>Pods that count against a node's capacity: scheduled and not finished.</summary>
    public static bool Occupies(PodSummary pod) => pod.NodeName is not null && pod.Phase is not ("Succeeded" or "Failed");

    public static ClusterOverview Of(ClusterSummary cluster, IEnumerable<NodeSummary> nodes, IEnumerable<PodSummary> pods, int warnings)
    {
        var tally = new ClusterTally();
        foreach (var node in nodes)
        {
            tally.Add(node);
        }
        foreach (var pod in pods)
        {
            tally.Add(pod);
        }
        return tally.Overview(cluster, warnings);
    }
}
