using k8s;
using k8s.Models;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>Turns full Kubernetes objects into the slim summaries the store keeps.</summary>
public sealed class FleetProjections(StringPool strings)
{
    private static readonly string[] PressureConditions = ["MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"];

    /// <summary>
    /// The fields (JSON names) of each model type that <see cref="Node"/> reads, and the informer's key and resourceVersion:
    /// the nodes informer decodes only these (<see cref="Informers.DecodedFields"/>). A field read there must be listed here;
    /// <c>DecodedFieldsTests</c> compares with whole objects. Pods, by the hundred thousand, are read by hand
    /// (<see cref="Informers.PodDecoder"/>, which must read what <see cref="Pod"/> and <see cref="PodStatus"/> read).
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, string[]> NodeFields = new Dictionary<Type, string[]>
    {
        [typeof(V1Node)] = ["metadata", "spec", "status"],
        [typeof(V1ObjectMeta)] = ["name", "namespace", "resourceVersion", "labels", "creationTimestamp"],
        [typeof(V1NodeSpec)] = ["unschedulable", "taints"],
        [typeof(V1NodeStatus)] = ["conditions", "nodeInfo", "allocatable"],
        [typeof(V1NodeCondition)] = ["type", "status", "lastTransitionTime"],
        [typeof(V1NodeSystemInfo)] = ["kubeletVersion"],
    };

    public PodSummary Pod(string cluster, V1Pod pod)
    {
        var status = pod.Status;
        var containers = status?.ContainerStatuses ?? [];
        // One pass by index, not LINQ: this runs for every pod change, and its iterators were a few percent of what the
        // dashboard allocated under churn. The last termination is the first latest one, as MaxBy would give.
        V1ContainerStateTerminated? lastTermination = null;
        var ready = 0;
        long restarts = 0; // a hostile cluster's counts could overflow an int when added up
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            ready += container.Ready ? 1 : 0;
            restarts += container.RestartCount;
            if (container.LastState?.Terminated is { } terminated
                && (lastTermination is null || (terminated.FinishedAt ?? DateTime.MinValue) > (lastTermination.FinishedAt ?? DateTime.MinValue)))
            {
                lastTermination = terminated;
            }
        }
        var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) ?? pod.Metadata.OwnerReferences?.FirstOrDefault();
        long cpu = 0, memory = 0;
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            cpu += Quantities.Millis(Request(container.Resources, "cpu"));
            memory += Quantities.Whole(Request(container.Resources, "memory"));
        }
        var scheduled = status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        return new PodSummary
        {
            Cluster = strings.Share(cluster)!,
            Namespace = strings.Share(pod.Metadata.NamespaceProperty ?? "default")!,
            Name = pod.Metadata.Name,
            Phase = strings.Share(status?.Phase ?? "Pending")!,
            Status = strings.Share(PodStatus(pod))!,
            NodeName = strings.Share(pod.Spec?.NodeName),
            ReadyContainers = ready,
            Containers = pod.Spec?.Containers?.Count ?? containers.Count,
            Restarts = (int)Math.Clamp(restarts, int.MinValue, int.MaxValue),
            LastRestartAt = Utc(lastTermination?.FinishedAt),
            LastTerminationReason = strings.Share(lastTermination?.Reason),
            SchedulingProblem = scheduled is { Status: "False" } ? strings.Share(scheduled.Message ?? scheduled.Reason) : null,
            CreatedAt = Utc(pod.Metadata.CreationTimestamp),
            CpuRequestMillis = cpu,
            MemoryRequestBytes = memory,
            OwnerKind = strings.Share(owner?.Kind),
            OwnerName = strings.Share(owner?.Name),
            Labels = Labels(pod.Metadata.Labels),
        };
    }

    public NodeSummary Node(string cluster, V1Node node)
    {
        var conditions = node.Status?.Conditions ?? [];
        var ready = conditions.FirstOrDefault(c => c.Type == "Ready");
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        var roles = labels.Keys
            .Where(k => k.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
            .Select(k => k["node-role.kubernetes.io/".Length..])
            .Concat(labels.TryGetValue("kubernetes.io/role", out var role) ? [role] : [])
            .Where(r => r.Length > 0)
            .Order(StringComparer.Ordinal);
        var allocatable = node.Status?.Allocatable;
        return new NodeSummary
        {
            Cluster = strings.Share(cluster)!,
            Name = strings.Share(node.Metadata.Name)!,
            Ready = ready?.Status == "True",
            ReadySince = Utc(ready?.LastTransitionTime),
            Roles = strings.Share(string.Join(",", roles.Distinct()))!,
            KubeletVersion = strings.Share(node.Status?.NodeInfo?.KubeletVersion ?? "")!,
            CpuAllocatableMillis = Quantities.Millis(Value(allocatable, "cpu")),
            MemoryAllocatableBytes = Quantities.Whole(Value(allocatable, "memory")),
            PodsAllocatable = (int)Quantities.Whole(Value(allocatable, "pods")),
            Unschedulable = node.Spec?.Unschedulable == true,
            Pressures = conditions.Where(c => c.Status == "True" && PressureConditions.Contains(c.Type)).Select(c => strings.Share(c.Type)!).ToArray(),
            Taints = (node.Spec?.Taints ?? []).Select(t => strings.Share(t.Value is null ? $"{t.Key}:{t.Effect}" : $"{t.Key}={t.Value}:{t.Effect}")!).ToArray(),
            CreatedAt = Utc(node.Metadata.CreationTimestamp),
            Labels = Labels(labels),
        };
    }

    public NamespaceSummary Namespace(string cluster, V1Namespace ns) => new()
    {
        Cluster = strings.Share(cluster)!,
        Name = strings.Share(ns.Metadata.Name)!,
        Phase = strings.Share(ns.Metadata.DeletionTimestamp is null ? ns.Status?.Phase ?? "Active" : "Terminating")!,
        CreatedAt = Utc(ns.Metadata.CreationTimestamp),
        Labels = Labels(ns.Metadata.Labels),
    };

    /// <summary>Warning events only; null for the rest, which the store does not keep.</summary>
    public EventSummary? Event(string cluster, Corev1Event e)
    {
        if (e.Type != "Warning")
        {
            return null;
        }
        var first = e.FirstTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp;
        var last = e.LastTimestamp ?? e.Series?.LastObservedTime ?? e.EventTime ?? first;
        return new EventSummary
        {
            Cluster = strings.Share(cluster)!,
            Namespace = strings.Share(e.Metadata.NamespaceProperty ?? "default")!,
            Name = e.Metadata.Name,
            Type = strings.Share(e.Type)!,
            Reason = strings.Share(e.Reason ?? "")!,
            Message = e.Message ?? "",
            InvolvedKind = strings.Share(e.InvolvedObject?.Kind ?? "")!,
            InvolvedNamespace = strings.Share(e.InvolvedObject?.NamespaceProperty),
            InvolvedName = strings.Share(e.InvolvedObject?.Name ?? "")!,
            Count = e.Count ?? e.Series?.Count ?? 1,
            FirstSeen = Utc(first),
            LastSeen = Utc(last),
        };
    }

    public QuotaSummary Quota(string cluster, V1ResourceQuota quota)
    {
        var hard = quota.Status?.Hard ?? quota.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>();
        var used = quota.Status?.Used ?? new Dictionary<string, ResourceQuantity>();
        return new QuotaSummary
        {
            Cluster = strings.Share(cluster)!,
            Namespace = strings.Share(quota.Metadata.NamespaceProperty ?? "default")!,
            Name = quota.Metadata.Name,
            Resources = hard.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h =>
            {
                var usedText = used.TryGetValue(h.Key, out var u) ? u.ToString() : "0";
                return new QuotaResource(strings.Share(h.Key)!, h.Value.ToString(), usedText, Quantities.Parse(h.Value.ToString()), Quantities.Parse(usedText));
            }).ToArray(),
            Observed = ManagedKubernetesObjects.FromKubernetes(strings.Share(cluster)!, quota),
        };
    }

    /// <summary>An object of a kind the engine writes, in its terms (<see cref="ObservedSummary"/>).</summary>
    public ObservedSummary Observed(FleetKind kind, string cluster, IKubernetesObject<V1ObjectMeta> item) => new()
    {
        Kind = kind,
        Cluster = strings.Share(cluster)!,
        Namespace = strings.Share(item.Metadata.NamespaceProperty),
        Name = item.Metadata.Name,
        Observed = ManagedKubernetesObjects.FromKubernetes(strings.Share(cluster)!, item),
    };

    public DeploymentSummary Deployment(string cluster, V1Deployment deployment) => new()
    {
        Cluster = strings.Share(cluster)!,
        Namespace = strings.Share(deployment.Metadata.NamespaceProperty ?? "default")!,
        Name = deployment.Metadata.Name,
        Replicas = deployment.Spec?.Replicas ?? 1,
        ReadyReplicas = deployment.Status?.ReadyReplicas ?? 0,
        UpdatedReplicas = deployment.Status?.UpdatedReplicas ?? 0,
        AvailableReplicas = deployment.Status?.AvailableReplicas ?? 0,
        CreatedAt = Utc(deployment.Metadata.CreationTimestamp),
    };

    public VirtualClusterSummary VirtualCluster(string cluster, V1StatefulSet set) =>
        VirtualCluster(cluster, set.Metadata, "StatefulSet", set.Spec?.Replicas ?? 1, set.Status?.ReadyReplicas ?? 0, set.Spec?.Template?.Spec?.Containers);

    public VirtualClusterSummary VirtualCluster(string cluster, V1Deployment deployment) =>
        VirtualCluster(cluster, deployment.Metadata, "Deployment", deployment.Spec?.Replicas ?? 1, deployment.Status?.ReadyReplicas ?? 0, deployment.Spec?.Template?.Spec?.Containers);

    private VirtualClusterSummary VirtualCluster(string cluster, V1ObjectMeta metadata, string workload, int replicas, int ready, IList<V1Container>? containers)
    {
        var annotations = metadata.Annotations ?? new Dictionary<string, string>();
        var image = containers?.FirstOrDefault(c => c.Name == VirtualClusterNames.SyncerContainer)?.Image ?? containers?.FirstOrDefault()?.Image;
        var tag = image is null ? null : image.LastIndexOf(':') is var colon and > 0 && colon > image.LastIndexOf('/') ? image[(colon + 1)..] : null;
        return new VirtualClusterSummary
        {
            Cluster = strings.Share(cluster)!,
            Namespace = strings.Share(metadata.NamespaceProperty ?? "default")!,
            Name = metadata.Name,
            Workload = workload,
            Replicas = replicas,
            ReadyReplicas = ready,
            Version = strings.Share(tag),
            Paused = VirtualClusterStatus.IsPaused(annotations.AsReadOnly()),
            PausedReplicas = annotations.TryGetValue(VirtualClusterNames.PausedReplicasAnnotation, out var count) && int.TryParse(count, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null,
            PausedAt = annotations.TryGetValue(VirtualClusterNames.PausedDateAnnotation, out var date) ? VirtualClusterNames.ParsePausedDate(date) : null,
            NonDeletable = annotations.TryGetValue(VirtualClusterNames.NonDeletableAnnotation, out var keep) && keep == "true",
            CreatedAt = Utc(metadata.CreationTimestamp),
        };
    }

    /// <summary>The STATUS column of <c>kubectl get pods</c>, worked out the way kubectl's printer does.</summary>
    public static string PodStatus(V1Pod pod)
    {
        var status = pod.Status;
        var reason = status?.Reason ?? status?.Phase ?? "Pending";
        var initializing = false;
        var initStatuses = status?.InitContainerStatuses ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var state = initStatuses[i].State;
            if (state?.Terminated is { ExitCode: 0 })
            {
                continue;
            }
            initializing = true;
            reason = state?.Terminated is { } terminated
                ? "Init:" + (terminated.Reason ?? $"ExitCode:{terminated.ExitCode}")
                : state?.Waiting is { Reason: { Length: > 0 } waiting } && waiting != "PodInitializing"
                    ? "Init:" + waiting
                    : $"Init:{i}/{pod.Spec?.InitContainers?.Count ?? initStatuses.Count}";
            break;
        }
        if (!initializing)
        {
            var running = false;
            var containers = status?.ContainerStatuses ?? [];
            for (var i = containers.Count - 1; i >= 0; i--)
            {
                var state = containers[i].State;
                if (state?.Waiting is { Reason: { Length: > 0 } waiting })
                {
                    reason = waiting;
                }
                else if (state?.Terminated is { } terminated)
                {
                    reason = terminated.Reason ?? (terminated.Signal is > 0 ? $"Signal:{terminated.Signal}" : $"ExitCode:{terminated.ExitCode}");
                }
                else if (state?.Running is not null && containers[i].Ready)
                {
                    running = true;
                }
            }
            if (reason == "Completed" && running)
            {
                reason = "Running";
            }
        }
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            reason = status?.Reason == "NodeLost" ? "Unknown" : "Terminating";
        }
        return reason;
    }

    private IReadOnlyList<KeyValuePair<string, string>> Labels(IDictionary<string, string>? labels) => strings.Share(labels);

    /// <summary>A container's request for a resource, or its limit when no request is set (the limit is then the request).</summary>
    private static string? Request(V1ResourceRequirements? resources, string name) =>
        Quantity(resources, name, limit: false) ?? Quantity(resources, name, limit: true);

    private static string? Quantity(V1ResourceRequirements? resources, string name, bool limit) => resources is Informers.ContainerQuantities decoded
        ? decoded.Of(name, limit)
        : Value(limit ? resources?.Limits : resources?.Requests, name);

    private static string? Value(IDictionary<string, ResourceQuantity>? quantities, string name) =>
        quantities is not null && quantities.TryGetValue(name, out var quantity) ? quantity?.ToString() : null;

    private static DateTimeOffset? Utc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
