using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>The field selectors each kind supports, as kube-apiserver registers them.</summary>
public static class FieldIndex
{
    private static readonly Dictionary<string, string[]> Extra = new()
    {
        ["Pod"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["Event"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ["Secret"] = ["type"],
        ["Namespace"] = ["status.phase"],
        ["Node"] = ["spec.unschedulable"],
        ["ReplicaSet"] = ["status.replicas"],
    };

    public static bool Supports(ResourceType type, string field) =>
        field is "metadata.name" or "metadata.namespace" ||
        (Extra.TryGetValue(type.Kind, out var fields) && fields.Contains(field));

    public static Dictionary<string, string> Extract(ResourceType type, JsonObject obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Extra.TryGetValue(type.Kind, out var fields))
        {
            return result;
        }
        foreach (var field in fields)
        {
            JsonNode? node = obj;
            foreach (var part in field.Split('.'))
            {
                node = node is JsonObject o ? o[part] : null;
            }
            if (node is JsonValue value)
            {
                result[field] = value.ToString();
            }
            else if (type.Kind == "Event" && field == "source" && obj["source"]?["component"] is JsonValue component)
            {
                result[field] = component.ToString();
            }
        }
        return result;
    }

    public static string Get(StoredObject obj, string field) => field switch
    {
        "metadata.name" => obj.Name,
        "metadata.namespace" => obj.Namespace,
        "spec.unschedulable" => obj.Fields.GetValueOrDefault(field, "false"),
        _ => obj.Fields.GetValueOrDefault(field, ""),
    };
}
