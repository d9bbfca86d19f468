using System.Globalization;
using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>Kubernetes resource quantities ("250m", "1.5", "128Mi", "2G") as numbers, for the scheduler's arithmetic.</summary>
public static class Quantity
{
    private static readonly (string Suffix, double Factor)[] Suffixes =
    [
        ("Ki", 1024d), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024),
        ("m", 0.001), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
    ];

    public static double Parse(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return 0;
        }
        var text = value.ToString().Trim();
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var scaled))
            {
                return scaled * factor;
            }
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : 0;
    }

    /// <summary>The CPU (cores) and memory (bytes) a pod requests: the sum over its containers, limits standing in for missing requests.</summary>
    public static (double Cpu, double Memory) PodRequests(JsonObject pod)
    {
        double cpu = 0, memory = 0;
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var requests = container["resources"]?["requests"];
            var limits = container["resources"]?["limits"];
            cpu += Parse(requests?["cpu"] ?? limits?["cpu"]);
            memory += Parse(requests?["memory"] ?? limits?["memory"]);
        }
        return (cpu, memory);
    }
}
