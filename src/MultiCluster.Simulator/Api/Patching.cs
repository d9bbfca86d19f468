using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Api;

/// <summary>The three patch formats kube-apiserver accepts for built-in kinds.</summary>
public static class Patching
{
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";

    /// <summary>Server-side apply; approximated as a strategic merge (no field ownership or managedFields).</summary>
    public const string ApplyPatch = "application/apply-patch+yaml";

    /// <summary>List fields of built-in kinds that strategic merge patch merges by a key instead of replacing.</summary>
    private static readonly Dictionary<string, string> MergeKeys = new()
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["ports"] = "containerPort",
        ["conditions"] = "type",
        ["imagePullSecrets"] = "name",
        ["tolerations"] = "key",
        ["ownerReferences"] = "uid",
    };

    /// <summary>The key a list field's items are merged (and owned) by, or null for a list replaced as a whole.</summary>
    public static string? MergeKeyOf(string field) => MergeKeys.GetValueOrDefault(field);

    public static JsonObject Apply(string contentType, JsonObject target, JsonNode patch)
    {
        return contentType switch
        {
            JsonPatch => ApplyJsonPatch(target, patch as JsonArray ?? throw ApiException.BadRequest("json patch must be an array")),
            MergePatch => (JsonObject)MergeNode(target, patch, strategic: false)!,
            StrategicMergePatch or ApplyPatch => (JsonObject)MergeNode(target, patch, strategic: true)!,
            _ => throw ApiException.UnsupportedMediaType(contentType),
        };
    }

    /// <summary>RFC 7386 merge (strategic: lists with a known merge key are merged by it; $patch directives honoured).</summary>
    private static JsonNode? MergeNode(JsonNode? target, JsonNode? patch, bool strategic, string? field = null)
    {
        if (patch is JsonObject patchObject)
        {
            if (strategic && (string?)patchObject["$patch"] == "replace")
            {
                var replacement = (JsonObject)patchObject.DeepClone();
                replacement.Remove("$patch");
                return replacement;
            }
            var result = target as JsonObject ?? new JsonObject();
            foreach (var (key, value) in patchObject)
            {
                if (strategic && key.StartsWith('$'))
                {
                    continue;
                }
                if (value is null)
                {
                    result.Remove(key);
                    continue;
                }
                var merged = MergeNode(result[key]?.DeepClone(), value, strategic, key);
                result[key] = merged;
            }
            return result;
        }
        if (strategic && patch is JsonArray patchArray && target is JsonArray targetArray &&
            field is not null && MergeKeys.TryGetValue(field, out var mergeKey) &&
            patchArray.All(p => p is JsonObject))
        {
            return MergeList(targetArray, patchArray, mergeKey);
        }
        return patch?.DeepClone();
    }

    private static JsonArray MergeList(JsonArray target, JsonArray patch, string mergeKey)
    {
        var result = new JsonArray([.. target.Select(t => t?.DeepClone())]);
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey]?.ToJsonString();
            var existing = result.OfType<JsonObject>().FirstOrDefault(r => r[mergeKey]?.ToJsonString() == key);
            if ((string?)item["$patch"] == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }
                continue;
            }
            if (existing is null)
            {
                result.Add(MergeNode(new JsonObject(), item, strategic: true));
            }
            else
            {
                MergeNode(existing, item, strategic: true);
            }
        }
        return result;
    }

    /// <summary>RFC 6902: add, remove, replace, move, copy and test.</summary>
    private static JsonObject ApplyJsonPatch(JsonObject target, JsonArray operations)
    {
        JsonNode root = target;
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = (string?)operation["op"];
            var path = (string?)operation["path"] ?? throw ApiException.BadRequest("json patch operation is missing path");
            switch (op)
            {
                case "add":
                    Set(ref root, path, operation["value"]?.DeepClone(), insert: true);
                    break;
                case "replace":
                    Get(root, path);
                    Set(ref root, path, operation["value"]?.DeepClone(), insert: false);
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "move":
                case "copy":
                    var from = (string?)operation["from"] ?? throw ApiException.BadRequest($"json patch {op} operation is missing from");
                    var value = Get(root, from)?.DeepClone();
                    if (op == "move")
                    {
                        Remove(root, from);
                    }
                    Set(ref root, path, value, insert: true);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), operation["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }
                    break;
                default:
                    throw ApiException.BadRequest($"Unexpected kind: {op}");
            }
        }
        return root as JsonObject ?? throw ApiException.BadRequest("json patch must leave an object");
    }

    private static string[] Tokens(string path) =>
        path.Length == 0 ? [] : [.. path.TrimStart('/').Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~"))];

    private static JsonNode? Get(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: missing path {path}"),
            };
        }
        return node;
    }

    private static void Set(ref JsonNode root, string path, JsonNode? value, bool insert)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            root = value ?? throw ApiException.BadRequest("cannot replace the document with null");
            return;
        }
        var parent = Parent(root, tokens);
        var last = tokens[^1];
        if (parent is JsonObject o)
        {
            o[last] = value;
        }
        else if (parent is JsonArray a)
        {
            var index = last == "-" ? a.Count : int.TryParse(last, out var i) ? i : -1;
            if (index < 0 || index > a.Count || (!insert && index == a.Count))
            {
                throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: index out of range in {path}");
            }
            if (insert)
            {
                a.Insert(index, value);
            }
            else
            {
                a[index] = value;
            }
        }
        else
        {
            throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: missing path {path}");
        }
    }

    private static void Remove(JsonNode root, string path)
    {
        var tokens = Tokens(path);
        var parent = Parent(root, tokens);
        var last = tokens[^1];
        var removed = parent switch
        {
            JsonObject o => o.Remove(last),
            JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: unable to remove nonexistent key: {last}: missing value");
        }
    }

    private static JsonNode? Parent(JsonNode root, string[] tokens) =>
        tokens.Length == 1 ? root : Get(root, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0").Replace("/", "~1"))));

    private static bool RemoveAt(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }
}
