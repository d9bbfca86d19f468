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

    /// <summary>On a pod: how many bytes each container's current log holds, generated as it is read (for tests of large logs).</summary>
    public const string LogBytes = "simulator.multicluster.io/log-bytes";

    public const string CrashLoopBackOff = "CrashLoopBackOff";
    public const string ImagePullBackOff = "ImagePullBackOff";
    public const string OomKilled = "OOMKilled";
    public const string NotReady = "NotReady";
    public const string MemoryPressure = "MemoryPressure";
}
