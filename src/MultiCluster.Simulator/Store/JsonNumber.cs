using System.Globalization;
using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>Reads a number from a JSON node whether it was parsed from text or built in memory as int, long or double.</summary>
public static class JsonNumber
{
    public static long? Long(JsonNode? node) =>
        node is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    public static int? Int(JsonNode? node) => Long(node) is { } number ? (int)number : null;
}
