using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// One object as the store keeps it: immutable UTF-8 JSON plus the few fields that lists filter on,
/// so a list or a watch never parses the objects it does not return.
/// </summary>
public sealed class StoredObject
{
    public required ResourceType Type { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required long ResourceVersion { get; init; }

    public required byte[] Json { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    public string Key => KeyOf(Namespace, Name);

    public JsonObject ToJsonObject() => JsonNode.Parse(Json)!.AsObject();

    public static string KeyOf(string ns, string name) => ns.Length == 0 ? name : ns + "/" + name;
}
