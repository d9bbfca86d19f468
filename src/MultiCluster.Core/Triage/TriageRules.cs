using MultiCluster.Core.Fleet;

namespace MultiCluster.Core.Triage;

/// <summary>
/// The rules that turn the fleet's summaries into problems, one object at a time. Pure: the same summary and
/// time give the same problems. Applied as the fleet changes by the ProblemFeed (MultiCluster.Kubernetes),
/// which also keeps an unreachable cluster to one problem rather than one per stale pod.
/// </summary>
public static class TriageRules
{
    private static readonly HashSet<string> ImagePull = new(StringComparer.Ordinal) { "ImagePullBackOff", "ErrImagePull", "InvalidImageName" };

    public static IEnumerable<Problem> ForCluster(ClusterSummary cluster) => cluster.Health switch
    {
        ClusterHealth.Unreachable => [ClusterProblem(cluster, Severity.Critical, "Unreachable")],
        ClusterHealth.Unauthorized => [ClusterProblem(cluster, Severity.Critical, "Unauthorized")],
        ClusterHealth.Degraded => [ClusterProblem(cluster, Severity.Warning, "Degraded")],
        _ => [],
    };

    public static IEnumerable<Problem> ForNode(NodeSummary node)
    {
        if (!node.Ready)
        {
            yield return NodeProblem(node, Severity.Critical, "NotReady", $"Node {node.Name} is NotReady: its pods are not being looked after.", node.ReadySince);
        }
        foreach (var pressure in node.Pressures)
        {
            yield return NodeProblem(node, Severity.Warning, pressure, $"Node {node.Name} reports {pressure}: the kubelet may evict pods.", null);
        }
        if (node.Unschedulable)
        {
            yield return NodeProblem(node, Severity.Info, "Cordoned", $"Node {node.Name} is cordoned: no new pods are scheduled on it.", null);
        }
    }

    public static IEnumerable<Problem> ForPod(PodSummary pod, DateTimeOffset now, TriageThresholds thresholds)
    {
        var status = pod.Status;
        if (status == "CrashLoopBackOff")
        {
            yield return PodProblem(pod, "crash-loop", Severity.Critical, status,
                $"Crash-looping: {pod.Restarts} restarts{(pod.LastTerminationReason is { } r ? $", last exit {r}" : "")}.");
        }
        else if (ImagePull.Contains(status))
        {
            yield return PodProblem(pod, "image-pull", Severity.Critical, status, "The image cannot be pulled: check its name, tag and registry credentials.");
        }
        else if (status is "CreateContainerConfigError" or "CreateContainerError")
        {
            yield return PodProblem(pod, "container-config", Severity.Critical, status, "The container cannot be created: a ConfigMap, Secret or key it refers to is missing.");
        }
        else if (pod.Phase == "Failed")
        {
            yield return PodProblem(pod, "failed", Severity.Warning, status, "The pod failed and will not be restarted.");
        }
        else if (pod.Phase == "Pending" && pod.CreatedAt is { } created && now - created >= thresholds.PendingFor)
        {
            yield return PodProblem(pod, "pending", Severity.Warning, "Pending",
                pod.SchedulingProblem is { } why ? $"Not started: {why}" : "Not started: waiting to be scheduled or for its containers.", created);
        }

        if (pod.LastTerminationReason == "OOMKilled" && status != "CrashLoopBackOff")
        {
            yield return PodProblem(pod, "oom-killed", Severity.Warning, "OOMKilled", "A container was killed for using more memory than its limit.", pod.LastRestartAt);
        }
        if (pod.Restarts >= thresholds.Restarts && status != "CrashLoopBackOff" &&
            pod.LastRestartAt is { } restarted && now - restarted <= thresholds.RestartWindow)
        {
            yield return PodProblem(pod, "restarts", Severity.Warning, "Restarting",
                $"{pod.Restarts} restarts, the last within {Ages.Format(now - thresholds.RestartWindow, now)}.", restarted);
        }
    }

    public static IEnumerable<Problem> ForQuota(QuotaSummary quota, TriageThresholds thresholds)
    {
        foreach (var resource in quota.Resources)
        {
            if (resource.Fraction is not { } used || used < thresholds.QuotaWarning)
            {
                continue;
            }
            var full = used >= 1;
            yield return new Problem
            {
                Rule = full ? "quota-full" : "quota-near",
                Severity = full ? Severity.Critical : Severity.Warning,
                Cluster = quota.Cluster,
                Kind = "ResourceQuota",
                Namespace = quota.Namespace,
                Name = $"{quota.Name}/{resource.Name}",
                Reason = full ? "QuotaExceeded" : "QuotaNearlyFull",
                Message = $"{resource.Name} is at {used * 100:0}% of its quota ({resource.Used} of {resource.Hard}): " +
                          (full ? "new pods in this namespace are refused." : "deploys are about to be refused."),
            };
        }
    }

    /// <summary>Bursts of Warning events about one object.</summary>
    public static IEnumerable<Problem> ForEvents(IEnumerable<EventSummary> events, DateTimeOffset now, TriageThresholds thresholds) =>
        events
            .Where(e => e.LastSeen is { } last && now - last <= thresholds.EventWindow)
            // A cluster-scoped object (a Node) has no namespace of its own, whichever namespace its events are in.
            .GroupBy(e => (e.Cluster, e.InvolvedKind, Namespace: string.IsNullOrEmpty(e.InvolvedNamespace) ? null : e.InvolvedNamespace, e.InvolvedName))
            .Select(g => (g.Key, Count: g.Sum(e => e.Count), Latest: g.MaxBy(e => e.LastSeen)!))
            .Where(g => g.Count >= thresholds.WarningEvents)
            .Select(g => new Problem
            {
                Rule = "warning-burst",
                Severity = Severity.Warning,
                Cluster = g.Key.Cluster,
                Kind = g.Key.InvolvedKind,
                Namespace = g.Key.Namespace,
                Name = g.Key.InvolvedName,
                Reason = g.Latest.Reason,
                Message = $"{g.Count} warnings in {thresholds.EventWindow.TotalMinutes:0} minutes, the latest: {g.Latest.Message}",
            });

    /// <summary>The workload behind a pod: a ReplicaSet's Deployment (its name without the template hash), or the owner itself.</summary>
    public static string? Owner(PodSummary pod)
    {
        if (pod.OwnerKind is null || pod.OwnerName is null)
        {
            return null;
        }
        if (pod.OwnerKind == "ReplicaSet")
        {
            var hash = pod.Labels.FirstOrDefault(l => l.Key == "pod-template-hash").Value;
            if (hash is { Length: > 0 } && pod.OwnerName.EndsWith("-" + hash, StringComparison.Ordinal))
            {
                return $"Deployment/{pod.OwnerName[..^(hash.Length + 1)]}";
            }
        }
        return $"{pod.OwnerKind}/{pod.OwnerName}";
    }

    private static Problem ClusterProblem(ClusterSummary cluster, Severity severity, string reason) => new()
    {
        Rule = "cluster-health",
        Severity = severity,
        Cluster = cluster.Cluster,
        Kind = "Cluster",
        Name = cluster.Cluster,
        Reason = reason,
        Message = cluster.Problem ?? $"The cluster is {reason}.",
        Since = cluster.LastContact,
    };

    private static Problem NodeProblem(NodeSummary node, Severity severity, string reason, string message, DateTimeOffset? since) => new()
    {
        Rule = "node-" + reason.ToLowerInvariant(),
        Severity = severity,
        Cluster = node.Cluster,
        Kind = "Node",
        Name = node.Name,
        Reason = reason,
        Message = message,
        Since = since,
    };

    private static Problem PodProblem(PodSummary pod, string rule, Severity severity, string reason, string message, DateTimeOffset? since = null) => new()
    {
        Rule = rule,
        Severity = severity,
        Cluster = pod.Cluster,
        Kind = "Pod",
        Namespace = pod.Namespace,
        Name = pod.Name,
        Reason = reason,
        Message = message,
        Since = since ?? pod.CreatedAt,
        Owner = Owner(pod),
    };
}
