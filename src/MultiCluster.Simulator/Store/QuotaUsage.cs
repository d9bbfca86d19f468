using System.Globalization;
using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>What a pod counts against a ResourceQuota, and quantities written the way the quota controller writes them.</summary>
public static class QuotaUsage
{
    public static Dictionary<string, double> ForPod(JsonObject pod)
    {
        var (cpu, memory) = Quantity.PodRequests(pod);
        double cpuLimits = 0, memoryLimits = 0;
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            cpuLimits += Quantity.Parse(container["resources"]?["limits"]?["cpu"]);
            memoryLimits += Quantity.Parse(container["resources"]?["limits"]?["memory"]);
        }
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["pods"] = 1,
            ["count/pods"] = 1,
            ["requests.cpu"] = cpu,
            ["cpu"] = cpu,
            ["requests.memory"] = memory,
            ["memory"] = memory,
            ["limits.cpu"] = cpuLimits,
            ["limits.memory"] = memoryLimits,
        };
    }

    public static string Format(string resource, double value)
    {
        if (resource.EndsWith("cpu", StringComparison.Ordinal))
        {
            var millis = (long)Math.Round(value * 1000);
            return millis % 1000 == 0 ? (millis / 1000).ToString(CultureInfo.InvariantCulture) : $"{millis}m";
        }
        if (resource.EndsWith("memory", StringComparison.Ordinal) || resource.EndsWith("storage", StringComparison.Ordinal))
        {
            var bytes = (long)Math.Round(value);
            foreach (var (suffix, size) in new[] { ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10) })
            {
                if (bytes != 0 && bytes % size == 0)
                {
                    return $"{bytes / size}{suffix}";
                }
            }
            return bytes.ToString(CultureInfo.InvariantCulture);
        }
        return ((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture);
    }
}
