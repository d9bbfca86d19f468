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

    /// <summary>Values that take few distinct values across a cluster: one copy each is kept (names, uids and IPs are not pooled).</summary>
    private static readonly HashSet<string> Pooled =
    [
        "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "involvedObject.kind",
        "involvedObject.namespace", "involvedObject.apiVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
        "spec.unschedulable", "status.replicas",
    ];

    private static readonly Dictionary<string, string[][]> Paths = Extra.ToDictionary(e => e.Key, e => e.Value.Select(f => f.Split('.')).ToArray());

    /// <summary>
    /// The object's field-selector values; a value equal to the previous version's is that version's string, and when
    /// nothing changed the previous version's values are returned as they are.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> Extract(ResourceType type, JsonObject obj, StoredObject? previous, StringPool pool)
    {
        if (!Extra.TryGetValue(type.Kind, out var fields))
        {
            return FieldValues.Empty;
        }
        var paths = Paths[type.Kind];
        var before = (previous?.Fields as FieldValues)?.Values;
        var values = new string?[fields.Length];
        var same = before is not null;
        for (var i = 0; i < fields.Length; i++)
        {
            JsonNode? node = obj;
            foreach (var part in paths[i])
            {
                node = node is JsonObject o ? o[part] : null;
            }
            string? value = null;
            if (node is JsonValue scalar)
            {
                value = scalar.ToString();
            }
            else if (type.Kind == "Event" && fields[i] == "source" && obj["source"]?["component"] is JsonValue component)
            {
                value = component.ToString();
            }
            if (value is not null && before?[i] == value)
            {
                value = before[i];
            }
            else if (value is not null && Pooled.Contains(fields[i]))
            {
                value = pool.Intern(value);
            }
            same = same && ReferenceEquals(value, before![i]);
            values[i] = value;
        }
        return same ? previous!.Fields : new FieldValues(fields, values);
    }

    /// <summary>The field-selector values of an object written without a tree, as its writer gives them (a field not given has none).</summary>
    internal static IReadOnlyDictionary<string, string> Of(ResourceType type, (string Field, string? Value)[] given, StringPool pool)
    {
        if (!Extra.TryGetValue(type.Kind, out var fields))
        {
            return FieldValues.Empty;
        }
        var values = new string?[fields.Length];
        foreach (var (field, value) in given)
        {
            var i = Array.IndexOf(fields, field);
            if (i < 0)
            {
                throw new ArgumentException($"{type.Kind} has no field selector {field}", nameof(given));
            }
            values[i] = value is not null && Pooled.Contains(field) ? pool.Intern(value) : value;
        }
        return new FieldValues(fields, values);
    }

    public static string Get(StoredObject obj, string field) => field switch
    {
        "metadata.name" => obj.Name,
        "metadata.namespace" => obj.Namespace,
        "spec.unschedulable" => obj.Fields.GetValueOrDefault(field, "false"),
        _ => obj.Fields.GetValueOrDefault(field, ""),
    };
}
