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
        Of(IsPaused(annotations), replicas, podStatus);

    /// <param name="paused">Whether the workload is paused the CLI's way (<see cref="IsPaused"/>).</param>
    public static string Of(bool paused, int replicas, string? podStatus) =>
        paused ? Paused
        : podStatus is { Length: > 0 } status ? status
        : replicas == 0 ? ScaledDown
        : Unknown;

    /// <summary>Paused the way the CLI pauses: <c>loft.sh/paused=true</c> on the workload.</summary>
    public static bool IsPaused(IReadOnlyDictionary<string, string> annotations) =>
        annotations.TryGetValue(VirtualClusterNames.PausedAnnotation, out var paused) && paused == "true";
}
