namespace MultiCluster.Core.Fleet;

/// <summary>A node with what its pods request of it.</summary>
public sealed record NodeUsage(NodeSummary Node, int Pods, long CpuRequestedMillis, long MemoryRequestedBytes)
{
    public static IReadOnlyList<NodeUsage> Of(IEnumerable<NodeSummary> nodes, IEnumerable<PodSummary> pods)
    {
        var byNode = new Dictionary<string, (int Pods, long Cpu, long Memory)>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(ClusterOverview.Occupies))
        {
            var usage = byNode.GetValueOrDefault(pod.NodeName!);
            byNode[pod.NodeName!] = (usage.Pods + 1, usage.Cpu + pod.CpuRequestMillis, usage.Memory + pod.MemoryRequestBytes);
        }
        return nodes.OrderBy(n => n.Name, StringComparer.Ordinal).Select(n =>
        {
            var usage = byNode.GetValueOrDefault(n.Name);
            return new NodeUsage(n, usage.Pods, usage.Cpu, usage.Memory);
        }).ToList();
    }
}
