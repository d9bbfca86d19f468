using System.Text.Json.Nodes;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// The resource quantity fields of the kinds served, rewritten in canonical form as kube-apiserver stores them
/// ("1000m" reads back as "1", "1024Mi" as "1Gi"); a value that is not a quantity is refused (400) as its decoder does.
/// </summary>
public static class QuantityFields
{
    public static void Normalize(ResourceType type, JsonObject obj)
    {
        if (type == ResourceCatalog.Pods)
        {
            PodSpec(type, obj["spec"]);
        }
        else if (type.Group == "apps")
        {
            PodSpec(type, obj["spec"]?["template"]?["spec"]);
        }
        else if (type == ResourceCatalog.ResourceQuotas)
        {
            Map(type, obj["spec"]?["hard"]);
            Map(type, obj["status"]?["hard"]);
            Map(type, obj["status"]?["used"]);
        }
        else if (type == ResourceCatalog.LimitRanges)
        {
            foreach (var item in (obj["spec"]?["limits"] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var field in new[] { "max", "min", "default", "defaultRequest", "maxLimitRequestRatio" })
                {
                    Map(type, item[field]);
                }
            }
        }
        else if (type == ResourceCatalog.PersistentVolumeClaims)
        {
            Map(type, obj["spec"]?["resources"]?["requests"]);
            Map(type, obj["spec"]?["resources"]?["limits"]);
        }
    }

    private static void PodSpec(ResourceType type, JsonNode? spec)
    {
        foreach (var container in PodResources.Containers(spec).Concat(PodResources.InitContainers(spec)))
        {
            Map(type, container["resources"]?["requests"]);
            Map(type, container["resources"]?["limits"]);
        }
        Map(type, spec?["overhead"]);
    }

    private static void Map(ResourceType type, JsonNode? node)
    {
        if (node is not JsonObject map)
        {
            return;
        }
        foreach (var name in map.Select(p => p.Key).ToList())
        {
            map[name] = Quantity.From(map[name])?.ToString() ?? throw ApiException.BadRequest(
                $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: quantities must match the regular expression '{Quantity.Grammar}'");
        }
    }
}
