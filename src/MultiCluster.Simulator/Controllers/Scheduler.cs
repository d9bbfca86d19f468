using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// Binds pending pods to Ready nodes with free CPU, memory and pod slots (fewest pods first), honouring
/// nodeSelector; pods that fit nowhere stay Pending with PodScheduled=False, reason Unschedulable.
/// Node usage is kept incrementally from the change feed, so a decision never scans every pod.
/// </summary>
internal sealed class Scheduler(ClusterStore store, EventRecorder events)
{
    private readonly Dictionary<string, NodeRoom> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Node, double Cpu, double Memory)> _placed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unschedulable = new(StringComparer.Ordinal);

    /// <summary>Pods waiting for room; worth retrying when a node changes or a pod goes away.</summary>
    public IReadOnlyCollection<string> Unschedulable => _unschedulable;

    public void Observe(WatchEvent change)
    {
        var obj = change.Object;
        if (obj.Type == ResourceCatalog.Nodes)
        {
            if (change.Type == WatchEvent.Deleted)
            {
                _nodes.Remove(obj.Name);
                return;
            }
            var node = obj.ToJsonObject();
            var room = _nodes.TryGetValue(obj.Name, out var existing) ? existing : new NodeRoom();
            room.Allocatable = (Quantity.Number(node["status"]?["allocatable"]?["cpu"]), Quantity.Number(node["status"]?["allocatable"]?["memory"]), Quantity.Number(node["status"]?["allocatable"]?["pods"]));
            room.Schedulable = (bool?)node["spec"]?["unschedulable"] != true &&
                (node["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") &&
                (node["spec"]?["taints"] as JsonArray ?? []).OfType<JsonObject>().All(t => (string?)t["effect"] != "NoSchedule");
            room.Labels = obj.Labels;
            _nodes[obj.Name] = room;
        }
        else if (obj.Type == ResourceCatalog.Pods)
        {
            var phase = obj.Fields.GetValueOrDefault("status.phase");
            var runsOn = change.Type != WatchEvent.Deleted && phase is not ("Succeeded" or "Failed") ? obj.Fields.GetValueOrDefault("spec.nodeName") : null;
            if (runsOn is { Length: > 0 } && _placed.TryGetValue(obj.Key, out var placed) && placed.Node == runsOn)
            {
                // Already counted on its node (a pod's requests do not change): nothing to parse.
                return;
            }
            Unplace(obj.Key);
            if (runsOn is { Length: > 0 } nodeName)
            {
                var (cpu, memory) = PodResources.CpuAndMemory(obj.ToJsonObject());
                _placed[obj.Key] = (nodeName, cpu, memory);
                if (_nodes.TryGetValue(nodeName, out var room))
                {
                    room.Used = (room.Used.Cpu + cpu, room.Used.Memory + memory, room.Used.Pods + 1);
                }
            }
            if (change.Type == WatchEvent.Deleted)
            {
                _unschedulable.Remove(obj.Key);
            }
        }
    }

    /// <summary>
    /// Binds the pod to a node, or marks it Unschedulable with why. Decided on the version the write reads (one parse of
    /// the pod, not one to decide and another to write).
    /// </summary>
    public void Schedule(StoredObject stored)
    {
        var now = ClusterStore.Timestamp(store.Time.GetUtcNow());
        string? best = null, message = null;
        var (cpu, memory) = (0.0, 0.0);
        var updated = store.Mutate(ResourceCatalog.Pods, stored.Namespace, stored.Name, p =>
        {
            (cpu, memory) = PodResources.CpuAndMemory(p);
            (best, message) = Place(cpu, memory, p["spec"]?["nodeSelector"] as JsonObject);
            if (best is null)
            {
                return SetCondition(p, new JsonObject { ["type"] = "PodScheduled", ["status"] = "False", ["reason"] = "Unschedulable", ["message"] = message, ["lastTransitionTime"] = now });
            }
            p["spec"]!["nodeName"] = best;
            SetCondition(p, new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastTransitionTime"] = now });
            return true;
        });
        if (updated is null)
        {
            return;
        }
        if (best is null)
        {
            if (_unschedulable.Add(stored.Key))
            {
                events.Warning(updated, "FailedScheduling", message!, "default-scheduler");
            }
            return;
        }
        _unschedulable.Remove(stored.Key);
        // Count the pod now, not when its change comes round the feed, so one pass spreads its pods.
        Unplace(stored.Key);
        _placed[stored.Key] = (best, cpu, memory);
        var room = _nodes[best];
        room.Used = (room.Used.Cpu + cpu, room.Used.Memory + memory, room.Used.Pods + 1);
        events.Normal(updated, "Scheduled", $"Successfully assigned {stored.Namespace}/{stored.Name} to {best}", "default-scheduler");
    }

    /// <summary>The Ready node with room and matching labels that runs the fewest pods; or none, and the scheduler's message saying why.</summary>
    private (string? Node, string? Message) Place(double cpu, double memory, JsonObject? selector)
    {
        string? best = null;
        var reasons = new Dictionary<string, int>();
        foreach (var (name, room) in _nodes)
        {
            var reason =
                !room.Schedulable ? "node(s) were not ready or schedulable" :
                !Matches(selector, room.Labels) ? "node(s) didn't match Pod's node affinity/selector" :
                room.Used.Pods + 1 > room.Allocatable.Pods ? "Too many pods" :
                room.Used.Cpu + cpu > room.Allocatable.Cpu ? "Insufficient cpu" :
                room.Used.Memory + memory > room.Allocatable.Memory ? "Insufficient memory" : null;
            if (reason is not null)
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }
            else if (best is null || room.Used.Pods < _nodes[best].Used.Pods)
            {
                best = name;
            }
        }
        return best is not null ? (best, null)
            : (null, $"0/{_nodes.Count} nodes are available: {string.Join(", ", reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}"))}.");
    }

    /// <summary>
    /// Whether a node's labels hold every pair of a pod's nodeSelector (none: every node). Not a lambda: the scheduler asks it of
    /// every node for every pod it places, and a lambda over the node's labels would be an allocation each time.
    /// </summary>
    private static bool Matches(JsonObject? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return true;
        }
        foreach (var (key, value) in selector)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value?.ToString())
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Replaces (or adds) a pod condition; false when nothing changed.</summary>
    public static bool SetCondition(JsonObject pod, JsonObject condition)
    {
        var status = pod["status"] as JsonObject ?? [];
        pod["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == (string?)condition["type"]);
        if (existing is not null)
        {
            if ((string?)existing["status"] == (string?)condition["status"] && (string?)existing["message"] == (string?)condition["message"])
            {
                return false;
            }
            conditions.Remove(existing);
        }
        conditions.Add(condition);
        return true;
    }

    private void Unplace(string podKey)
    {
        if (_placed.Remove(podKey, out var placed) && _nodes.TryGetValue(placed.Node, out var room))
        {
            room.Used = (room.Used.Cpu - placed.Cpu, room.Used.Memory - placed.Memory, room.Used.Pods - 1);
        }
    }

    private sealed class NodeRoom
    {
        public (double Cpu, double Memory, double Pods) Allocatable { get; set; }

        public (double Cpu, double Memory, double Pods) Used { get; set; }

        public bool Schedulable { get; set; }

        public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();
    }
}
