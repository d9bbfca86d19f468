using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>corev1.ResourceList arithmetic (quota.Add, Mask, Max): resource names to quantities; printed in ordinal name order.</summary>
public static class ResourceList
{
    public static Dictionary<string, Quantity> Empty() => new(StringComparer.Ordinal);

    /// <summary>The entries in ordinal name order, as Go sorts resource names.</summary>
    public static IEnumerable<KeyValuePair<string, Quantity>> Ordered(IEnumerable<KeyValuePair<string, Quantity>> list) => list.OrderBy(p => p.Key, StringComparer.Ordinal);

    /// <summary>The quantities of a JSON map (resources.requests, spec.hard); entries that are not quantities are skipped.</summary>
    public static Dictionary<string, Quantity> Read(JsonNode? node)
    {
        var list = Empty();
        foreach (var (name, value) in node as JsonObject ?? [])
        {
            if (Quantity.From(value) is { } quantity)
            {
                list[name] = quantity;
            }
        }
        return list;
    }

    public static Dictionary<string, Quantity> Copy(IEnumerable<KeyValuePair<string, Quantity>> list) => new(list, StringComparer.Ordinal);

    /// <summary>Adds <paramref name="other"/> into <paramref name="sum"/> (a missing name counts as zero).</summary>
    public static void AddTo(IDictionary<string, Quantity> sum, IEnumerable<KeyValuePair<string, Quantity>> other)
    {
        foreach (var (name, quantity) in other)
        {
            sum[name] = sum.TryGetValue(name, out var current) ? current + quantity : quantity;
        }
    }

    /// <summary>Keeps the larger of each quantity in <paramref name="max"/>.</summary>
    public static void MaxInto(IDictionary<string, Quantity> max, IEnumerable<KeyValuePair<string, Quantity>> other)
    {
        foreach (var (name, quantity) in other)
        {
            if (!max.TryGetValue(name, out var current) || quantity > current)
            {
                max[name] = quantity;
            }
        }
    }

    public static Dictionary<string, Quantity> Mask(IEnumerable<KeyValuePair<string, Quantity>> list, IEnumerable<string> names)
    {
        var keep = names.ToHashSet(StringComparer.Ordinal);
        return Copy(list.Where(p => keep.Contains(p.Key)));
    }

    public static JsonObject ToJson(IEnumerable<KeyValuePair<string, Quantity>> list)
    {
        var json = new JsonObject();
        foreach (var (name, quantity) in Ordered(list))
        {
            json[name] = quantity.ToString();
        }
        return json;
    }

    /// <summary>"a=1,b=2Gi", the way kube-apiserver's quota admission prints resource lists.</summary>
    public static string Pretty(IEnumerable<KeyValuePair<string, Quantity>> list) =>
        string.Join(',', Ordered(list).Select(p => $"{p.Key}={p.Value}"));
}
