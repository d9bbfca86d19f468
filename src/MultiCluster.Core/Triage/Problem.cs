namespace MultiCluster.Core.Triage;

/// <summary>How urgent a problem is; lower sorts first.</summary>
public enum Severity
{
    Critical = 0,
    Warning = 1,
    Info = 2,
}

/// <summary>
/// One thing that is broken right now, found by a rule. <see cref="Id"/> is stable for as long as the same
/// thing stays broken, so a later evaluation recognises it (first seen, acknowledgements).
/// </summary>
public sealed record Problem
{
    public required string Rule { get; init; }

    public required Severity Severity { get; init; }

    public required string Cluster { get; init; }

    /// <summary>Cluster, Node, Pod or ResourceQuota.</summary>
    public required string Kind { get; init; }

    public string? Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>A short reason in Kubernetes' words: CrashLoopBackOff, NotReady, QuotaExceeded…</summary>
    public required string Reason { get; init; }

    /// <summary>What is wrong, in plain words.</summary>
    public required string Message { get; init; }

    /// <summary>Since when, when the object says (a node NotReady since its transition, a pod Pending since creation).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>The workload a pod belongs to (Deployment web, StatefulSet db), for grouping its replicas.</summary>
    public string? Owner { get; init; }

    public string Id => $"{Rule}|{Cluster}|{Kind}|{Namespace}|{Name}";

    /// <summary>A container exited (crash loop, OOM kill, restarts): the previous container's logs say why.</summary>
    public bool PreviousLogsTell => Rule is "crash-loop" or "oom-killed" or "restarts";

    /// <summary>
    /// The row this problem is shown in, within its cluster: the replicas of one workload with the same
    /// trouble share a row (40 crash-looping pods of Deployment web are one line); anything else has its own.
    /// </summary>
    public string GroupKey => Owner is null ? $"{Rule}|{Kind}|{Namespace}|{Name}" : $"{Rule}|{Owner}|{Namespace}";
}
