using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// What a pod asks for, as k8s.io/component-helpers/resource computes it: the sum over its containers (and
/// restartable init containers, its sidecars), at least the largest init container, plus the pod overhead;
/// and its QoS class.
/// </summary>
public static class PodResources
{
    public static IEnumerable<JsonObject> Containers(JsonNode? spec) => (spec?["containers"] as JsonArray ?? []).OfType<JsonObject>();

    public static IEnumerable<JsonObject> InitContainers(JsonNode? spec) => (spec?["initContainers"] as JsonArray ?? []).OfType<JsonObject>();

    public static Dictionary<string, Quantity> Requests(JsonObject pod) => Aggregate(pod, "requests", overheadOnlyWhereSet: false);

    public static Dictionary<string, Quantity> Limits(JsonObject pod) => Aggregate(pod, "limits", overheadOnlyWhereSet: true);

    /// <summary>The CPU (cores) and memory (bytes) a pod requests, for the scheduler.</summary>
    public static (double Cpu, double Memory) CpuAndMemory(JsonObject pod)
    {
        var spec = pod["spec"];
        if (spec is JsonObject plain && plain["initContainers"] is null && plain["overhead"] is null && plain["containers"] is JsonArray containers)
        {
            // Most pods: no init containers, no overhead, so the sum of the containers' requests, without the lists the
            // general rule builds (the scheduler asks this of every pod it places).
            decimal cpu = 0, memory = 0;
            foreach (var node in containers)
            {
                if (node is JsonObject container && container["resources"]?["requests"] is JsonObject asked)
                {
                    cpu += Quantity.From(asked["cpu"])?.Value ?? 0m;
                    memory += Quantity.From(asked["memory"])?.Value ?? 0m;
                }
            }
            return ((double)cpu, (double)memory);
        }
        var requests = Requests(pod);
        return ((double)requests.GetValueOrDefault("cpu").Value, (double)requests.GetValueOrDefault("memory").Value);
    }

    /// <summary>status.qosClass: BestEffort without CPU or memory requests and limits, Guaranteed when every container's equal limits cover both.</summary>
    public static string QosClass(JsonNode? spec)
    {
        var requests = ResourceList.Empty();
        var limits = ResourceList.Empty();
        var guaranteed = true;
        foreach (var container in Containers(spec).Concat(InitContainers(spec)))
        {
            foreach (var (name, quantity) in ResourceList.Read(container["resources"]?["requests"]))
            {
                if (name is "cpu" or "memory" && quantity.Value > 0)
                {
                    ResourceList.AddTo(requests, [new(name, quantity)]);
                }
            }
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, quantity) in ResourceList.Read(container["resources"]?["limits"]))
            {
                if (name is "cpu" or "memory" && quantity.Value > 0)
                {
                    found.Add(name);
                    ResourceList.AddTo(limits, [new(name, quantity)]);
                }
            }
            guaranteed &= found.Count == 2;
        }
        if (requests.Count == 0 && limits.Count == 0)
        {
            return "BestEffort";
        }
        guaranteed &= requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit.Value == r.Value.Value);
        return guaranteed && requests.Count == limits.Count ? "Guaranteed" : "Burstable";
    }

    private static Dictionary<string, Quantity> Aggregate(JsonObject pod, string field, bool overheadOnlyWhereSet)
    {
        var spec = pod["spec"];
        var total = ResourceList.Empty();
        foreach (var container in Containers(spec))
        {
            ResourceList.AddTo(total, ResourceList.Read(container["resources"]?[field]));
        }
        var sidecars = ResourceList.Empty();
        var initMax = ResourceList.Empty();
        foreach (var container in InitContainers(spec))
        {
            var own = ResourceList.Read(container["resources"]?[field]);
            if ((string?)container["restartPolicy"] == "Always")
            {
                ResourceList.AddTo(total, own);
                ResourceList.AddTo(sidecars, own);
                ResourceList.MaxInto(initMax, sidecars);
            }
            else
            {
                ResourceList.AddTo(own, sidecars);
                ResourceList.MaxInto(initMax, own);
            }
        }
        ResourceList.MaxInto(total, initMax);
        foreach (var (name, quantity) in ResourceList.Read(spec?["overhead"]))
        {
            if (!overheadOnlyWhereSet || total.ContainsKey(name))
            {
                ResourceList.AddTo(total, [new(name, quantity)]);
            }
        }
        return total;
    }
}
