using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// One object as the store keeps it: immutable UTF-8 JSON plus the few facts that lists filter on and controllers
/// decide by, so a list, a watch or a controller never parses the objects it does not return or change. A new
/// version shares what did not change (labels, field values, owner) with the version before it, so a version
/// costs little more than its JSON bytes.
/// </summary>
public sealed class StoredObject
{
    public required ResourceType Type { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required long ResourceVersion { get; init; }

    public required byte[] Json { get; init; }

    /// <summary>metadata.uid ("" for a dry-run preview).</summary>
    public string Uid { get; init; } = "";

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    /// <summary>metadata.deletionTimestamp is set: the object is on its way out.</summary>
    public bool Terminating { get; init; }

    /// <summary>Its Ready condition (a pod's, a node's) is True.</summary>
    public bool Ready { get; init; }

    /// <summary>The owner reference that controls it (or the first one), as the garbage collector and controllers follow it.</summary>
    public OwnerReference? Controller { get; init; }

    /// <summary>
    /// <c>namespace/name</c>, or the name of a cluster-wide object: made once per version at most, and a new version of the
    /// same object shares its predecessor's. Controllers, indexes and watches ask for it at every change.
    /// </summary>
    public string Key
    {
        get => field ??= KeyOf(Namespace, Name);
        init;
    }

    public JsonObject ToJsonObject() => JsonNode.Parse(Json)!.AsObject();

    public static string KeyOf(string ns, string name) => ns.Length == 0 ? name : ns + "/" + name;
}

/// <summary>metadata.ownerReferences' controlling entry: what kind and object owns this one.</summary>
public sealed record OwnerReference(string Kind, string Name, string Uid);
