using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Controllers;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.VirtualClusters;

/// <summary>
/// What a vCluster's pod does on its host, for each StatefulSet or Deployment labelled <c>app=vcluster</c>: while it has a
/// Running and Ready pod, its nested cluster serves and syncs; it writes the kubeconfig Secret <c>vc-&lt;name&gt;</c> and, for a
/// LoadBalancer Service <c>&lt;name&gt;</c>, an ingress of 127.0.0.1 whose port is the nested API server's. Without a Ready pod
/// (paused, scaled to 0) the nested cluster stops serving and its synced host pods go, its store kept; without the workload it
/// is gone for good. The host's controller loop only enqueues (namespace, name) keys; one worker reconciles them, since
/// starting and stopping a listener is asynchronous.
/// </summary>
internal sealed class VirtualClusterController(SimulatedCluster host) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), SimulatedVirtualCluster> _clusters = new();
    private readonly WorkQueue<(string Namespace, string Name)> _queue = new(host.Store.Time);
    private readonly CancellationTokenSource _stop = new();
    private Task? _worker;

    private ClusterStore Store => host.Store;

    public IReadOnlyDictionary<(string Namespace, string Name), SimulatedVirtualCluster> Clusters => _clusters;

    public void Start() => _worker = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Called by the host's controller loop for every change: cheap checks of kind, labels and name only.</summary>
    public void Observe(WatchEvent change, JsonObject? json)
    {
        var obj = change.Object;
        if (obj.Type == ResourceCatalog.Pods)
        {
            if (obj.Labels.TryGetValue(VirtualClusterNames.ManagedByLabel, out var owner))
            {
                if (_clusters.TryGetValue((obj.Namespace, owner), out var synced))
                {
                    synced.HostPodChanged(json ?? obj.ToJsonObject());
                }
            }
            else if (VirtualClusterNames.IsVirtualClusterWorkload(obj.Labels) && obj.Labels.TryGetValue(VirtualClusterNames.ReleaseLabel, out var release))
            {
                _queue.Add((obj.Namespace, release));
            }
        }
        else if (obj.Type == ResourceCatalog.StatefulSets || obj.Type == ResourceCatalog.Deployments)
        {
            if (VirtualClusterNames.IsVirtualClusterWorkload(obj.Labels) || _clusters.ContainsKey((obj.Namespace, obj.Name)) ||
                (change.Previous is { } previous && VirtualClusterNames.IsVirtualClusterWorkload(previous.Labels)))
            {
                _queue.Add((obj.Namespace, obj.Name));
            }
        }
        else if (obj.Type == ResourceCatalog.Secrets)
        {
            if (obj.Name.StartsWith(VirtualClusterNames.ConfigSecretPrefix, StringComparison.Ordinal))
            {
                _queue.Add((obj.Namespace, obj.Name[VirtualClusterNames.ConfigSecretPrefix.Length..]));
            }
            else if (obj.Name.StartsWith(VirtualClusterNames.KubeconfigSecretPrefix, StringComparison.Ordinal) &&
                _clusters.ContainsKey((obj.Namespace, obj.Name[VirtualClusterNames.KubeconfigSecretPrefix.Length..])))
            {
                _queue.Add((obj.Namespace, obj.Name[VirtualClusterNames.KubeconfigSecretPrefix.Length..]));
            }
        }
        else if (obj.Type == ResourceCatalog.Services && _clusters.ContainsKey((obj.Namespace, obj.Name)))
        {
            _queue.Add((obj.Namespace, obj.Name));
        }
    }

    // Refused by admission, raced a client, or the port could not be bound again: tried again after a backoff.
    private Task RunAsync(CancellationToken stop) =>
        _queue.RunAsync(ReconcileAsync, e => e is Api.ApiException or InvalidOperationException or KeyNotFoundException or IOException,
            (key, e) => host.Logger.ReconcileFailed(host.Name, "VirtualCluster", $"{key.Namespace}/{key.Name}", e.Message), stop);

    private async Task ReconcileAsync((string Namespace, string Name) key)
    {
        var workload = Workload(key.Namespace, key.Name);
        _clusters.TryGetValue(key, out var vcluster);
        if (workload is null)
        {
            if (vcluster is not null)
            {
                // Stopped before it leaves the view, so a vCluster no longer listed no longer answers.
                await vcluster.DisposeAsync();
                _clusters.TryRemove(key, out _);
                DeleteSyncedPods(key.Namespace, key.Name);
                // vcluster's Secret is owned by its StatefulSet, so the garbage collector would take it.
                TryDelete(ResourceCatalog.Secrets, key.Namespace, VirtualClusterNames.KubeconfigSecretPrefix + key.Name);
            }
            return;
        }
        if (!HasReadyPod(workload))
        {
            if (vcluster is not null)
            {
                await vcluster.StopAsync();
                DeleteSyncedPods(key.Namespace, key.Name);
            }
            return;
        }
        if (vcluster is null)
        {
            var config = VirtualClusterConfig.FromSecret(Store.Get(ResourceCatalog.Secrets, key.Namespace, VirtualClusterNames.ConfigSecretPrefix + key.Name)?.ToJsonObject());
            vcluster = SimulatedVirtualCluster.Create(host, key.Namespace, key.Name, config);
            _clusters[key] = vcluster;
        }
        await vcluster.StartAsync();
        WriteKubeconfigSecret(vcluster, workload.ToJsonObject());
        PublishLoadBalancer(vcluster);
    }

    /// <summary>The vCluster's StatefulSet, or the Deployment the CLI may have made instead, when labelled app=vcluster.</summary>
    private StoredObject? Workload(string ns, string name) =>
        new[] { ResourceCatalog.StatefulSets, ResourceCatalog.Deployments }
            .Select(type => Store.Get(type, ns, name))
            .FirstOrDefault(w => w is not null && VirtualClusterNames.IsVirtualClusterWorkload(w.Labels));

    private bool HasReadyPod(StoredObject workload)
    {
        var spec = workload.ToJsonObject()["spec"];
        if ((JsonNumber.Long(spec?["replicas"]) ?? 1) == 0)
        {
            return false;
        }
        IEnumerable<StoredObject> pods = workload.Type == ResourceCatalog.StatefulSets
            ? [Store.Get(ResourceCatalog.Pods, workload.Namespace, workload.Name + "-0")!]
            : Store.List(ResourceCatalog.Pods, workload.Namespace, LabelSelector.FromObject(spec?["selector"]), FieldSelector.Everything, 0, null).Items;
        return pods.OfType<StoredObject>().Select(p => p.ToJsonObject()).Any(p =>
            p["metadata"]?["deletionTimestamp"] is null && (string?)p["status"]?["phase"] == "Running" && ReplicaSetController.IsReady(p));
    }

    private void WriteKubeconfigSecret(SimulatedVirtualCluster vcluster, JsonObject workload)
    {
        var name = VirtualClusterNames.KubeconfigSecretPrefix + vcluster.Name;
        var data = VirtualClusterKubeconfig.SecretData(vcluster.Cluster, vcluster.Config);
        var written = Store.Mutate(ResourceCatalog.Secrets, vcluster.Namespace, name, secret =>
        {
            if (JsonNode.DeepEquals(secret["data"], data))
            {
                return false;
            }
            secret["data"] = data.DeepClone();
            return true;
        });
        if (written is null)
        {
            Store.Create(ResourceCatalog.Secrets, vcluster.Namespace, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["ownerReferences"] = OwnerIndex.OwnerReferences(workload) },
                ["type"] = "Opaque",
                ["data"] = data,
            });
        }
    }

    /// <summary>
    /// The simulator's load balancer: ingress 127.0.0.1, with the nested API server's loopback port in the ingress's ports
    /// (a real one would forward 443 to the pod's 8443; here there is no pod network to forward through).
    /// </summary>
    private void PublishLoadBalancer(SimulatedVirtualCluster vcluster)
    {
        var ingress = new JsonArray(new JsonObject
        {
            ["ip"] = "127.0.0.1",
            ["ports"] = new JsonArray(new JsonObject { ["port"] = vcluster.Port, ["protocol"] = "TCP" }),
        });
        Store.Mutate(ResourceCatalog.Services, vcluster.Namespace, vcluster.Name, service =>
        {
            if ((string?)service["spec"]?["type"] != "LoadBalancer" || JsonNode.DeepEquals(service["status"]?["loadBalancer"]?["ingress"], ingress))
            {
                return false;
            }
            service["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = ingress } };
            return true;
        });
    }

    /// <summary>As the CLI does on pause and vcluster on delete: every host pod labelled vcluster.loft.sh/managed-by=&lt;name&gt; goes.</summary>
    private void DeleteSyncedPods(string ns, string name)
    {
        foreach (var pod in Store.List(ResourceCatalog.Pods, ns, PodSyncer.Synced(name), FieldSelector.Everything, 0, null).Items)
        {
            TryDelete(ResourceCatalog.Pods, ns, pod.Name);
        }
    }

    private void TryDelete(ResourceType type, string ns, string name)
    {
        try
        {
            Store.Delete(type, ns, name);
        }
        catch (Api.ApiException e) when (e.Code == 404)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_worker is not null)
        {
            await _worker.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        foreach (var key in _clusters.Keys)
        {
            if (_clusters.TryRemove(key, out var vcluster))
            {
                await vcluster.DisposeAsync();
            }
        }
        _stop.Dispose();
    }
}
