namespace MultiCluster.Core.VirtualClusters;

/// <summary>
/// A vCluster's status as the vcluster CLI reports it in <c>vcluster list</c>: Paused when its workload carries
/// <c>loft.sh/paused=true</c>; otherwise its pod's status as kubectl shows it (Running, Pending, CrashLoopBackOff …);
/// ScaledDown when it runs no replica; Unknown when there is no pod to tell.
/// </summary>
public static class VirtualClusterStatus
{
    public const string Paused = "Paused";
    public const string ScaledDown = "ScaledDown";
    public const string Unknown = "Unknown";

    /// <param name="annotations">The StatefulSet's or Deployment's annotations.</param>
    /// <param name="replicas">Its desired replicas.</param>
    /// <param name="podStatus">The kubectl-style status of its first pod, when it has one.</param>
    public static string Of(IReadOnlyDictionary<string, string> annotations, int replicas, string? podStatus) =>
        annotations.TryGetValue(VirtualClusterNames.PausedAnnotation, out var paused) && paused == "true" ? Paused
        : podStatus is { Length: > 0 } status ? status
        : replicas == 0 ? ScaledDown
        : Unknown;
}
