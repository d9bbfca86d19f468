using System.Text.Json.Nodes;
using MultiCluster.Simulator.Controllers;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.VirtualClusters;

/// <summary>
/// vcluster's pod syncer: each pod of the nested cluster runs on the host as <c>&lt;pod&gt;-x-&lt;namespace&gt;-x-&lt;vcluster&gt;</c> in the
/// vCluster's namespace (labelled <c>vcluster.loft.sh/managed-by</c>, so the host's admission, scheduler and kubelets apply),
/// and the host pod's node and status flow back, with a fake node inside for each host node used. Level-triggered on the
/// nested pod's key: a change on either side enqueues it; a create the host refuses is a SyncError event and a backoff.
/// </summary>
internal sealed class PodSyncer(SimulatedVirtualCluster vcluster)
{
    private const string Component = "pod-syncer";
    private readonly Lock _lock = new();
    private volatile WorkQueue<(string Namespace, string Name)>? _queue;
    private CancellationTokenSource? _stop;
    private Task? _running;

    private ClusterStore Store => vcluster.Cluster.Store;

    private ClusterStore HostStore => vcluster.Host.Store;

    /// <summary>The selector for the host pods this vCluster owns.</summary>
    public static LabelSelector Synced(string vcluster) => LabelSelector.Parse($"{VirtualClusterNames.ManagedByLabel}={vcluster}");

    public void Start()
    {
        WorkQueue<(string, string)> queue;
        CancellationTokenSource stop;
        lock (_lock)
        {
            if (_queue is not null)
            {
                return;
            }
            queue = new WorkQueue<(string, string)>(Store.Time);
            stop = new CancellationTokenSource();
            _queue = queue;
            _stop = stop;
        }
        // Host pods left from before (a pause whose pods were not deleted, a crash): each is kept or deleted by its nested pod.
        foreach (var pod in HostStore.List(ResourceCatalog.Pods, vcluster.Namespace, Synced(vcluster.Name), FieldSelector.Everything, 0, null).Items)
        {
            HostPodChanged(pod.ToJsonObject());
        }
        var events = new EventRecorder(Store);
        _running = Task.WhenAll(Task.Run(() => FollowAsync(queue, stop.Token)), Task.Run(() => WorkAsync(queue, events, stop.Token)));
    }

    public async Task StopAsync()
    {
        CancellationTokenSource? stop;
        Task? running;
        lock (_lock)
        {
            (stop, running) = (_stop, _running);
            (_queue, _stop, _running) = (null, null, null);
        }
        if (stop is null)
        {
            return;
        }
        await stop.CancelAsync();
        if (running is not null)
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        stop.Dispose();
    }

    /// <summary>A host pod labelled as this vCluster's changed: its nested pod (named by the syncer's annotations) is looked at again.</summary>
    public void HostPodChanged(JsonObject hostPod)
    {
        var annotations = hostPod["metadata"]?["annotations"];
        if (_queue is { } queue &&
            (string?)annotations?[VirtualClusterNames.ObjectNamespaceAnnotation] is { } ns &&
            (string?)annotations?[VirtualClusterNames.ObjectNameAnnotation] is { } name)
        {
            queue.Add((ns, name));
        }
    }

    /// <summary>Enqueues every nested pod change; a watch closed under it (a dropped watch, a fault) is opened again from the current state.</summary>
    private async Task FollowAsync(WorkQueue<(string, string)> queue, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var feed = Store.Watch(ResourceCatalog.Pods, null, null, capacity: 0);
            foreach (var change in feed.Backlog)
            {
                queue.Add((change.Object.Namespace, change.Object.Name));
            }
            try
            {
                await foreach (var change in feed.Events.ReadAllAsync(stop))
                {
                    queue.Add((change.Object.Namespace, change.Object.Name));
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    // Refused by the host (a quota, a LimitRange) or raced a change: tried again after a backoff.
    private Task WorkAsync(WorkQueue<(string, string)> queue, EventRecorder events, CancellationToken stop) =>
        queue.RunAsync(key =>
            {
                Sync(key, events);
                return Task.CompletedTask;
            },
            e => e is Api.ApiException or InvalidOperationException or KeyNotFoundException,
            (key, e) => vcluster.Host.Logger.ReconcileFailed($"{vcluster.Host.Name}/{vcluster.Namespace}/{vcluster.Name}", "Pod", $"{key.Item1}/{key.Item2}", e.Message), stop);

    private void Sync((string Namespace, string Name) key, EventRecorder events)
    {
        var hostName = VirtualClusterNames.SyncedName(key.Name, key.Namespace, vcluster.Name);
        var pod = Store.Get(ResourceCatalog.Pods, key.Namespace, key.Name)?.ToJsonObject();
        var hostStored = HostStore.Get(ResourceCatalog.Pods, vcluster.Namespace, hostName);
        if (hostStored is not null && !(hostStored.Labels.TryGetValue(VirtualClusterNames.ManagedByLabel, out var owner) && owner == vcluster.Name))
        {
            return; // Someone else's pod by that name: not the syncer's to touch.
        }
        var hostPod = hostStored?.ToJsonObject();
        var deleting = pod?["metadata"]?["deletionTimestamp"] is not null;
        if (hostPod is not null && (pod is null || deleting ||
            (string?)hostPod["metadata"]?["annotations"]?[VirtualClusterNames.ObjectUidAnnotation] != (string?)pod["metadata"]?["uid"]))
        {
            // Gone or replaced inside: the host pod goes; a replacement follows once its removal comes back as a change.
            if (hostPod["metadata"]?["deletionTimestamp"] is null)
            {
                HostStore.Delete(ResourceCatalog.Pods, vcluster.Namespace, hostName);
            }
            return;
        }
        if (pod is null || deleting)
        {
            return;
        }
        if (hostPod is null)
        {
            try
            {
                HostStore.Create(ResourceCatalog.Pods, vcluster.Namespace, ToHost(pod, hostName));
            }
            catch (Api.ApiException e) when (e.Code is 403 or 422)
            {
                events.Warning(pod, "SyncError", $"Error syncing to host cluster: {e.Message}", Component);
                throw;
            }
            return;
        }
        if (hostPod["metadata"]?["deletionTimestamp"] is not null)
        {
            return;
        }
        var nodeName = (string?)hostPod["spec"]?["nodeName"];
        if (nodeName is { Length: > 0 })
        {
            EnsureNode(nodeName);
        }
        Store.Mutate(ResourceCatalog.Pods, key.Namespace, key.Name, p =>
        {
            var changed = false;
            if (nodeName is { Length: > 0 } && (string?)p["spec"]?["nodeName"] != nodeName)
            {
                p["spec"]!["nodeName"] = nodeName;
                changed = true;
            }
            if (hostPod["status"] is JsonObject status && !JsonNode.DeepEquals(status, p["status"]))
            {
                p["status"] = status.DeepClone();
                changed = true;
            }
            return changed;
        });
    }

    /// <summary>The host's copy: the pod's labels and annotations plus the syncer's, and its spec, left for the host to schedule.</summary>
    private JsonObject ToHost(JsonObject pod, string hostName)
    {
        var metadata = pod["metadata"]!;
        var labels = metadata["labels"]?.DeepClone() as JsonObject ?? [];
        labels[VirtualClusterNames.ManagedByLabel] = vcluster.Name;
        labels[VirtualClusterNames.NamespaceLabel] = metadata["namespace"]?.DeepClone();
        var annotations = metadata["annotations"]?.DeepClone() as JsonObject ?? [];
        annotations[VirtualClusterNames.ObjectNameAnnotation] = metadata["name"]?.DeepClone();
        annotations[VirtualClusterNames.ObjectNamespaceAnnotation] = metadata["namespace"]?.DeepClone();
        annotations[VirtualClusterNames.ObjectUidAnnotation] = metadata["uid"]?.DeepClone();
        var spec = pod["spec"]?.DeepClone() as JsonObject ?? [];
        spec.Remove("nodeName");
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = hostName, ["labels"] = labels, ["annotations"] = annotations },
            ["spec"] = spec,
        };
    }

    /// <summary>vcluster's fake node: the host node's name, labels, capacity and conditions, so `kubectl get nodes` inside shows where pods run.</summary>
    private void EnsureNode(string name)
    {
        if (Store.Get(ResourceCatalog.Nodes, "", name) is not null || HostStore.Get(ResourceCatalog.Nodes, "", name)?.ToJsonObject() is not { } hostNode)
        {
            return;
        }
        var status = hostNode["status"] as JsonObject ?? [];
        var node = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = hostNode["metadata"]?["labels"]?.DeepClone() },
            ["spec"] = new JsonObject(),
            ["status"] = new JsonObject
            {
                ["capacity"] = status["capacity"]?.DeepClone(),
                ["allocatable"] = status["allocatable"]?.DeepClone(),
                ["conditions"] = status["conditions"]?.DeepClone() ?? new JsonArray(),
                ["addresses"] = status["addresses"]?.DeepClone(),
                ["nodeInfo"] = status["nodeInfo"]?.DeepClone(),
            },
        };
        try
        {
            Store.Create(ResourceCatalog.Nodes, "", node);
        }
        catch (Api.ApiException e) when (e.Code == 409)
        {
            // Created meanwhile.
        }
    }
}
