namespace MultiCluster.Core.Fleet;

/// <summary>
/// The Overview's figures of one cluster, kept up to date node by node and pod by pod (add what arrives, take
/// away what it replaced) instead of summed over every pod at each refresh. Not thread-safe: its owner locks.
/// </summary>
public sealed class ClusterTally
{
    private readonly Dictionary<string, int> _podsByPhase = new(StringComparer.Ordinal);
    private int _nodes, _nodesReady, _pods;
    private long _cpuAllocatable, _memoryAllocatable, _cpuRequested, _memoryRequested;

    public bool IsEmpty => _nodes == 0 && _pods == 0;

    public void Add(NodeSummary node) => Count(node, 1);

    public void Remove(NodeSummary node) => Count(node, -1);

    public void Add(PodSummary pod) => Count(pod, 1);

    public void Remove(PodSummary pod) => Count(pod, -1);

    public ClusterOverview Overview(ClusterSummary cluster, int warnings) =>
        new(cluster, _nodesReady, _nodes, new Dictionary<string, int>(_podsByPhase, StringComparer.Ordinal), _pods,
            _cpuRequested, _cpuAllocatable, _memoryRequested, _memoryAllocatable, warnings);

    private void Count(NodeSummary node, int sign)
    {
        _nodes += sign;
        _nodesReady += node.Ready ? sign : 0;
        _cpuAllocatable += sign * node.CpuAllocatableMillis;
        _memoryAllocatable += sign * node.MemoryAllocatableBytes;
    }

    private void Count(PodSummary pod, int sign)
    {
        _pods += sign;
        var phase = _podsByPhase.GetValueOrDefault(pod.Phase) + sign;
        if (phase == 0)
        {
            _podsByPhase.Remove(pod.Phase);
        }
        else
        {
            _podsByPhase[pod.Phase] = phase;
        }
        if (ClusterOverview.Occupies(pod))
        {
            _cpuRequested += sign * pod.CpuRequestMillis;
            _memoryRequested += sign * pod.MemoryRequestBytes;
        }
    }
}
