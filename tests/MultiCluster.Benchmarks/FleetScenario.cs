namespace MultiCluster.Benchmarks;

/// <summary>A fleet to measure: its size, its churn, and its targets (issue 5 set them; issue 14 tightened the large one).</summary>
public sealed record FleetScenario(
    string Name,
    int Clusters,
    int NodesPerCluster,
    int PodsPerNode,
    double ChangesPerSecond,
    int ListComparisonPods,
    double SyncTargetSeconds,
    double LatencyP99TargetMs,
    double? BytesPerPodTarget,
    long? ProcessBytesTarget)
{
    public int PodsPerCluster => NodesPerCluster * PodsPerNode;

    public int Pods => Clusters * PodsPerCluster;

    /// <summary>
    /// Changes each simulated cluster keeps for watches to resume from: 150 clusters at the default 50,000 would hold 7.5
    /// million. At the large fleet's 33 changes a second per cluster, 5,000 is two and a half minutes of resuming.
    /// </summary>
    public int WatchHistory => Clusters > 50 ? 5_000 : 50_000;

    public static FleetScenario Parse(string name) => name switch
    {
        "smoke" => new("smoke", 3, 5, 30, 30, 3_000, 30, 250, 2_048, null),
        "standard" => new("standard", 20, 50, 30, 1_000, 30_000, 10, 250, 2_048, null),
        "large" => new("large", 150, 100, 30, 5_000, 30_000, 60, 250, null, 2_500L * 1024 * 1024),
        _ => throw new ArgumentException($"unknown scenario '{name}': smoke, standard or large"),
    };
}
