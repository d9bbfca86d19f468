using System.Text.Json;
using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// Turns a committed object into its stored form: the JSON bytes, and the facts read off it while it is still a tree
/// (labels, field values, owner, Ready, terminating). What did not change since the previous version is that version's
/// own instance, so the version history holds little more than bytes.
/// </summary>
internal static class StoredVersion
{
    public static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>(StringComparer.Ordinal);

    public static StoredObject Build(ResourceType type, JsonObject obj, long version, StoredObject? previous, StringPool strings, byte[]? json = null)
    {
        var metadata = obj["metadata"]!.AsObject();
        var ns = (string?)metadata["namespace"] ?? "";
        var name = (string)metadata["name"]!;
        var same = previous is not null && previous.Namespace == ns && previous.Name == name;
        return new StoredObject
        {
            Type = type,
            Namespace = same ? previous!.Namespace : strings.Intern(ns),
            Name = same ? previous!.Name : name,
            Key = same ? previous!.Key : StoredObject.KeyOf(ns, name),
            ResourceVersion = version,
            Json = json ?? JsonSerializer.SerializeToUtf8Bytes(obj, JsonWire.Options),
            Labels = Labels(metadata, previous, strings),
            Fields = FieldIndex.Extract(type, obj, previous, strings),
            Terminating = metadata["deletionTimestamp"] is not null,
            Ready = Ready(obj),
            Controller = Controller(metadata, previous),
            Uid = (string?)metadata["uid"] is { } uid && uid == previous?.Uid ? previous.Uid : (string?)metadata["uid"] ?? "",
        };
    }

    /// <summary>The same object at another resourceVersion (its removal): the facts are the current version's own.</summary>
    public static StoredObject WithResourceVersion(StoredObject current, long version, byte[] json) => new()
    {
        Type = current.Type,
        Namespace = current.Namespace,
        Name = current.Name,
        Key = current.Key,
        ResourceVersion = version,
        Json = json,
        Labels = current.Labels,
        Fields = current.Fields,
        Terminating = current.Terminating,
        Ready = current.Ready,
        Controller = current.Controller,
        Uid = current.Uid,
    };

    /// <summary>A version's facts without its JSON: what a watch's selectors read of the version before a replayed change.</summary>
    public static StoredObject FactsOf(StoredObject version) => WithResourceVersion(version, version.ResourceVersion, []);

    private static IReadOnlyDictionary<string, string> Labels(JsonObject metadata, StoredObject? previous, StringPool strings)
    {
        if (metadata["labels"] is not JsonObject { Count: > 0 } map)
        {
            return NoLabels;
        }
        if (previous?.Labels is { } before && before.Count == map.Count && Same(before, map))
        {
            return before;
        }
        var labels = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            labels[strings.Intern(key)] = strings.Intern(value?.ToString() ?? "");
        }
        return labels;
    }

    // The facts below are read at every write, so they are loops rather than LINQ over the tree: no closure, iterator or
    // empty array made per version.

    private static bool Ready(JsonObject obj)
    {
        if (obj["status"]?["conditions"] is not JsonArray conditions)
        {
            return false;
        }
        foreach (var node in conditions)
        {
            if (node is JsonObject condition && (string?)condition["type"] == "Ready" && (string?)condition["status"] == "True")
            {
                return true;
            }
        }
        return false;
    }

    private static bool Same(IReadOnlyDictionary<string, string> labels, JsonObject map)
    {
        foreach (var (key, value) in map)
        {
            if (!labels.TryGetValue(key, out var before) || before != (value?.ToString() ?? ""))
            {
                return false;
            }
        }
        return true;
    }

    private static OwnerReference? Controller(JsonObject metadata, StoredObject? previous)
    {
        if (metadata["ownerReferences"] is not JsonArray { Count: > 0 } references)
        {
            return null;
        }
        // The controlling reference, else the first.
        JsonObject? owner = null;
        foreach (var node in references)
        {
            if (node is not JsonObject entry)
            {
                continue;
            }
            if ((bool?)entry["controller"] == true)
            {
                owner = entry;
                break;
            }
            owner ??= entry;
        }
        if ((string?)owner?["kind"] is not { } kind || (string?)owner["name"] is not { } name || (string?)owner["uid"] is not { } uid)
        {
            return null;
        }
        var reference = new OwnerReference(kind, name, uid);
        return reference == previous?.Controller ? previous.Controller : reference;
    }
}
