using System.Text.Json.Nodes;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// A set of field paths, as structured-merge-diff's fieldpath.Set, written as FieldsV1: {"f:spec": {"f:hard": {"f:pods": {}}}}.
/// A path is a leaf (a scalar, an atomic list, an empty object) or an item of a list merged by key
/// (k:{"name":"app"}, which is a member itself and holds its fields). Paths are arrays of such elements.
/// </summary>
public sealed class FieldSet
{
    private static readonly string[] SystemMetadata =
        ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"];

    private readonly SortedDictionary<string, FieldSet> _children = new(StringComparer.Ordinal);

    /// <summary>Whether the path leading here is itself in the set.</summary>
    private bool _member;

    public bool IsEmpty => !_member && _children.Count == 0;

    /// <summary>The fields an object sets, without those the server owns (name, uid, resourceVersion, status, ...).</summary>
    public static FieldSet Of(JsonObject obj)
    {
        var set = new FieldSet();
        foreach (var (path, _) in Leaves(obj))
        {
            set.Add(path);
        }
        return set;
    }

    /// <summary>The fields <paramref name="updated"/> adds or changes compared with <paramref name="old"/> (all of them on create).</summary>
    public static FieldSet Changed(JsonObject? old, JsonObject updated)
    {
        var set = new FieldSet();
        foreach (var (path, value) in Leaves(updated))
        {
            if (old is null || !Exists(old, path, out var before) || (value is not null && !JsonNode.DeepEquals(before, value)))
            {
                set.Add(path);
            }
        }
        return set;
    }

    public static FieldSet Parse(JsonNode? fieldsV1)
    {
        var set = new FieldSet();
        foreach (var (key, child) in fieldsV1 as JsonObject ?? [])
        {
            if (key == ".")
            {
                set._member = true;
            }
            else
            {
                var parsed = Parse(child);
                // {} is a leaf: the path itself is in the set.
                parsed._member |= parsed._children.Count == 0;
                set._children[key] = parsed;
            }
        }
        return set;
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (_member && _children.Count > 0)
        {
            json["."] = new JsonObject();
        }
        foreach (var (key, child) in _children)
        {
            json[key] = child.ToJson();
        }
        return json;
    }

    public IEnumerable<string[]> Paths()
    {
        if (_member)
        {
            yield return [];
        }
        foreach (var (key, child) in _children)
        {
            foreach (var path in child.Paths())
            {
                yield return [key, .. path];
            }
        }
    }

    public bool Contains(string[] path) => Find(path) is { _member: true };

    /// <summary>Whether the path, or a path below it, is in the set.</summary>
    public bool Covers(string[] path) => Find(path) is { IsEmpty: false };

    private FieldSet? Find(string[] path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node._children.TryGetValue(element, out var child))
            {
                return null;
            }
            node = child;
        }
        return node;
    }

    public void Add(string[] path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node._children.TryGetValue(element, out var child))
            {
                node._children[element] = child = new FieldSet();
            }
            node = child;
        }
        node._member = true;
    }

    public void Remove(string[] path)
    {
        if (path.Length == 0)
        {
            _member = false;
            return;
        }
        if (_children.TryGetValue(path[0], out var child))
        {
            child.Remove(path[1..]);
            if (child.IsEmpty)
            {
                _children.Remove(path[0]);
            }
        }
    }

    /// <summary>Keeps only the paths that still exist in <paramref name="obj"/>: nobody owns a field that is gone.</summary>
    public void KeepExisting(JsonObject obj)
    {
        foreach (var path in Paths().Where(p => !Exists(obj, p, out _)).ToList())
        {
            Remove(path);
        }
    }

    public bool SetEquals(FieldSet other) => JsonNode.DeepEquals(ToJson(), other.ToJson());

    /// <summary>The path as kube-apiserver prints it in a conflict: .spec.containers[name="app"].image.</summary>
    public static string Display(string[] path) =>
        string.Concat(path.Select(e => e.StartsWith("f:", StringComparison.Ordinal) ? "." + e[2..]
            : "[" + string.Join(',', (JsonNode.Parse(e[2..]) as JsonObject ?? []).Select(k => $"{k.Key}={k.Value?.ToJsonString()}")) + "]"));

    /// <summary>The value at a path; false when the path does not exist in <paramref name="obj"/>.</summary>
    public static bool Exists(JsonObject obj, string[] path, out JsonNode? value)
    {
        JsonNode? node = obj;
        foreach (var element in path)
        {
            if (!TryStep(node, element, out node, out _, out _))
            {
                value = null;
                return false;
            }
        }
        value = node;
        return true;
    }

    /// <summary>Removes the field or list item at a path from <paramref name="obj"/>, if it is there.</summary>
    public static void RemoveFrom(JsonObject obj, string[] path)
    {
        JsonNode? node = obj;
        foreach (var element in path[..^1])
        {
            if (!TryStep(node, element, out node, out _, out _))
            {
                return;
            }
        }
        if (TryStep(node, path[^1], out _, out var parentObject, out var index))
        {
            if (parentObject is not null)
            {
                parentObject.Remove(path[^1][2..]);
            }
            else if (node is JsonArray array)
            {
                array.RemoveAt(index);
            }
        }
    }

    private static bool TryStep(JsonNode? node, string element, out JsonNode? next, out JsonObject? parentObject, out int index)
    {
        (next, parentObject, index) = (null, null, -1);
        if (element.StartsWith("f:", StringComparison.Ordinal) && node is JsonObject o && o.TryGetPropertyValue(element[2..], out next))
        {
            parentObject = o;
            return true;
        }
        if (element.StartsWith("k:", StringComparison.Ordinal) && node is JsonArray array && JsonNode.Parse(element[2..]) is JsonObject key)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonObject item && key.All(k => JsonNode.DeepEquals(item[k.Key], k.Value)))
                {
                    (next, index) = (item, i);
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Every leaf (and keyed list item) of an object with its value; items carry null.</summary>
    private static IEnumerable<(string[] Path, JsonNode? Value)> Leaves(JsonObject obj)
    {
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind" or "status")
            {
                continue;
            }
            if (name == "metadata" && value is JsonObject metadata)
            {
                foreach (var (field, inner) in metadata.Where(m => !SystemMetadata.Contains(m.Key)))
                {
                    foreach (var leaf in Walk(inner, field, ["f:metadata", "f:" + field]))
                    {
                        yield return leaf;
                    }
                }
                continue;
            }
            foreach (var leaf in Walk(value, name, ["f:" + name]))
            {
                yield return leaf;
            }
        }
    }

    private static IEnumerable<(string[] Path, JsonNode? Value)> Walk(JsonNode? node, string field, string[] path)
    {
        if (node is JsonObject { Count: > 0 } obj)
        {
            foreach (var (name, value) in obj)
            {
                foreach (var leaf in Walk(value, name, [.. path, "f:" + name]))
                {
                    yield return leaf;
                }
            }
        }
        else if (node is JsonArray { Count: > 0 } array && Patching.MergeKeyOf(field) is { } mergeKey &&
                 array.All(i => i is JsonObject item && item[mergeKey] is JsonValue))
        {
            foreach (var item in array.OfType<JsonObject>())
            {
                string[] itemPath = [.. path, "k:" + new JsonObject { [mergeKey] = item[mergeKey]!.DeepClone() }.ToJsonString()];
                yield return (itemPath, null);
                foreach (var leaf in Walk(item, field, itemPath).Where(l => l.Path.Length > itemPath.Length))
                {
                    yield return leaf;
                }
            }
        }
        else
        {
            yield return (path, node);
        }
    }
}
