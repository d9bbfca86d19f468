namespace MultiCluster.Simulator.Faults;

/// <summary>
/// Faults that live on the objects themselves, so tests, the command line and even
/// `kubectl annotate` can set them, and the simulated kubelet honours them.
/// </summary>
public static class FaultAnnotations
{
    /// <summary>On a pod: CrashLoopBackOff, ImagePullBackOff or OOMKilled.</summary>
    public const string PodFault = "simulator.multicluster.io/fault";

    /// <summary>On a node: NotReady or MemoryPressure.</summary>
    public const string NodeFault = "simulator.multicluster.io/fault";

    public const string CrashLoopBackOff = "CrashLoopBackOff";
    public const string ImagePullBackOff = "ImagePullBackOff";
    public const string OomKilled = "OOMKilled";
    public const string NotReady = "NotReady";
    public const string MemoryPressure = "MemoryPressure";
}
