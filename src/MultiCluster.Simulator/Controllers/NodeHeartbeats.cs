using System.Text.Json.Nodes;
using MultiCluster.Simulator.Faults;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// Node status as kubelets report it (conditions with heartbeats, capacity, allocatable, node info), and
/// as the node lifecycle controller marks a silent node: Ready=Unknown and the unreachable taint.
/// </summary>
internal sealed class NodeHeartbeats(ClusterStore store, string kubeletVersion)
{
    private static readonly byte[] NodeFaultAnnotation = System.Text.Encoding.UTF8.GetBytes(FaultAnnotations.NodeFault);

    public static JsonObject NewNode(string name, bool controlPlane, int podCapacity, int index)
    {
        var labels = new JsonObject
        {
            ["beta.kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["topology.kubernetes.io/zone"] = $"zone-{(char)('a' + (index % 3))}",
        };
        if (controlPlane)
        {
            labels["node-role.kubernetes.io/control-plane"] = "";
        }
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = new JsonObject { ["podCIDR"] = $"10.244.{index}.0/24", ["providerID"] = $"simulator://{name}" },
            ["status"] = new JsonObject
            {
                ["capacity"] = Resources("8", "32876452Ki", podCapacity),
                ["allocatable"] = Resources("7800m", "31827876Ki", podCapacity),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = $"172.18.{index / 250}.{(index % 250) + 2}" },
                    new JsonObject { ["type"] = "Hostname", ["address"] = name }),
            },
        };
    }

    /// <summary>
    /// Renews every node's lease and writes the status of one slice of the nodes (the <paramref name="round"/>th of
    /// <paramref name="slices"/>), so status reports are spread evenly over the report interval instead of all at once.
    /// </summary>
    public void HeartbeatAll(int slices = 1, int round = 0)
    {
        var index = 0;
        foreach (var node in store.Snapshot(ResourceCatalog.Nodes))
        {
            if (index++ % slices == round % slices)
            {
                Heartbeat(node.Name);
            }
            else
            {
                RenewLease(node.Name);
            }
        }
    }

    public void Heartbeat(string name)
    {
        var now = ClusterStore.Timestamp(store.Time.GetUtcNow());
        RenewLease(name);
        var wasReady = IsReady(store.Get(ResourceCatalog.Nodes, "", name));
        var node = store.Mutate(ResourceCatalog.Nodes, "", name, node =>
        {
            var fault = (string?)node["metadata"]?["annotations"]?[FaultAnnotations.NodeFault];
            var status = node["status"]!.AsObject();
            var previous = (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(c => (string)c["type"]!, c => c);
            JsonObject Condition(string type, string value, string reason, string message)
            {
                var since = previous.TryGetValue(type, out var old) && (string?)old["status"] == value ? (string?)old["lastTransitionTime"] ?? now : now;
                return new JsonObject
                {
                    ["type"] = type, ["status"] = value, ["lastHeartbeatTime"] = now, ["lastTransitionTime"] = since,
                    ["reason"] = reason, ["message"] = message,
                };
            }
            var notReady = fault == FaultAnnotations.NotReady;
            var pressure = fault == FaultAnnotations.MemoryPressure;
            status["conditions"] = new JsonArray(
                notReady ? Condition("MemoryPressure", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
                    : Condition("MemoryPressure", pressure ? "True" : "False", pressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory", pressure ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available"),
                Condition("DiskPressure", notReady ? "Unknown" : "False", notReady ? "NodeStatusUnknown" : "KubeletHasNoDiskPressure", notReady ? "Kubelet stopped posting node status." : "kubelet has no disk pressure"),
                Condition("PIDPressure", notReady ? "Unknown" : "False", notReady ? "NodeStatusUnknown" : "KubeletHasSufficientPID", notReady ? "Kubelet stopped posting node status." : "kubelet has sufficient PID available"),
                notReady ? Condition("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
                    : Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"));
            status["nodeInfo"] = new JsonObject
            {
                ["machineID"] = name.GetHashCode(StringComparison.Ordinal).ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
                ["kernelVersion"] = "6.8.0-45-generic",
                ["osImage"] = "Debian GNU/Linux 12 (bookworm)",
                ["containerRuntimeVersion"] = "containerd://1.7.24",
                ["kubeletVersion"] = kubeletVersion,
                ["kubeProxyVersion"] = kubeletVersion,
                ["operatingSystem"] = "linux",
                ["architecture"] = "amd64",
            };
            var taints = new JsonArray();
            if (notReady)
            {
                taints.Add(new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["effect"] = "NoSchedule", ["timeAdded"] = now });
            }
            if (pressure)
            {
                taints.Add(new JsonObject { ["key"] = "node.kubernetes.io/memory-pressure", ["effect"] = "NoSchedule", ["timeAdded"] = now });
            }
            if (taints.Count > 0)
            {
                node["spec"]!["taints"] = taints;
            }
            else
            {
                node["spec"]!.AsObject().Remove("taints");
            }
            return true;
        });
        var isReady = IsReady(node);
        if (wasReady != isReady && node is not null && node.ResourceVersion > 0)
        {
            MarkPods(name, isReady);
        }
    }

    private static bool IsReady(StoredObject? node) => node?.Ready == true;

    /// <summary>As the node lifecycle controller does, a node that stops reporting takes its pods' Ready condition with it.</summary>
    private void MarkPods(string node, bool ready)
    {
        var now = ClusterStore.Timestamp(store.Time.GetUtcNow());
        var onNode = store.List(ResourceCatalog.Pods, null, LabelSelector.Everything, FieldSelector.Parse($"spec.nodeName={node}", ResourceCatalog.Pods), 0, null).Items;
        foreach (var pod in onNode)
        {
            store.Mutate(ResourceCatalog.Pods, pod.Namespace, pod.Name, p =>
                (string?)p["status"]?["phase"] == "Running" &&
                Scheduler.SetCondition(p, new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False", ["lastTransitionTime"] = now }));
        }
    }

    /// <summary>The node's Lease in kube-node-lease, renewed with each heartbeat unless the node is NotReady.</summary>
    private void RenewLease(string name)
    {
        // Most nodes carry no fault: the stored bytes say so without a parse.
        var stored = store.Get(ResourceCatalog.Nodes, "", name);
        var node = stored is not null && stored.Json.AsSpan().IndexOf(NodeFaultAnnotation) >= 0 ? stored.ToJsonObject() : null;
        if ((string?)node?["metadata"]?["annotations"]?[FaultAnnotations.NodeFault] == FaultAnnotations.NotReady ||
            store.Get(ResourceCatalog.Namespaces, "", "kube-node-lease") is null)
        {
            return;
        }
        var renewTime = store.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var renewed = store.Mutate(ResourceCatalog.Leases, "kube-node-lease", name, lease =>
        {
            lease["spec"]!["renewTime"] = renewTime;
            return true;
        });
        if (renewed is null)
        {
            store.Create(ResourceCatalog.Leases, "kube-node-lease", new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name, ["ownerReferences"] = stored is null ? null : new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = name, ["uid"] = stored.Uid,
                }) },
                ["spec"] = new JsonObject { ["holderIdentity"] = name, ["leaseDurationSeconds"] = 40, ["renewTime"] = renewTime },
            });
        }
    }

    private static JsonObject Resources(string cpu, string memory, int pods) => new()
    {
        ["cpu"] = cpu,
        ["ephemeral-storage"] = "102350Mi",
        ["hugepages-2Mi"] = "0",
        ["memory"] = memory,
        ["pods"] = pods.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
