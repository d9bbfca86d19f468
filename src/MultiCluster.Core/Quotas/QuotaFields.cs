namespace MultiCluster.Core.Quotas;

/// <summary>
/// How a ResourceQuota's and a LimitRange's owned fields are flattened into <see cref="Reconcile.ManagedObject.Fields"/>
/// (<c>spec.hard.pods</c>, <c>spec.scopes</c>, <c>spec.limits[Container].default.cpu</c>), and read back: one layout
/// for what the planner wants and what the clusters hold.
/// </summary>
public static class QuotaFields
{
    public const string ResourceQuota = "ResourceQuota";
    public const string LimitRange = "LimitRange";

    private const string HardPrefix = "spec.hard.";
    private const string ScopesPath = "spec.scopes";
    private const string LimitsPrefix = "spec.limits[";

    public static SortedDictionary<string, string> OfQuota(IEnumerable<KeyValuePair<string, string>> hard, IEnumerable<string> scopes)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (resource, quantity) in hard)
        {
            fields[HardPrefix + resource] = quantity;
        }
        if (string.Join(",", scopes.Order(StringComparer.Ordinal)) is { Length: > 0 } joined)
        {
            fields[ScopesPath] = joined;
        }
        return fields;
    }

    public static IReadOnlyDictionary<string, string> Hard(IReadOnlyDictionary<string, string> fields) =>
        fields.Where(f => f.Key.StartsWith(HardPrefix, StringComparison.Ordinal)).ToDictionary(f => f.Key[HardPrefix.Length..], f => f.Value, StringComparer.Ordinal);

    public static IReadOnlyList<string> Scopes(IReadOnlyDictionary<string, string> fields) =>
        fields.TryGetValue(ScopesPath, out var scopes) ? scopes.Split(',') : [];

    public static SortedDictionary<string, string> OfLimits(IEnumerable<LimitRangeItem> items)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            foreach (var (field, values) in item.Fields)
            {
                foreach (var (resource, quantity) in values)
                {
                    fields[$"{LimitsPrefix}{item.Type}].{field}.{resource}"] = quantity;
                }
            }
        }
        return fields;
    }

    /// <summary>The LimitRange items the fields describe, one per type, in type order.</summary>
    public static IReadOnlyList<LimitRangeItem> Limits(IReadOnlyDictionary<string, string> fields)
    {
        var items = new SortedDictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var (path, value) in fields.Where(f => f.Key.StartsWith(LimitsPrefix, StringComparison.Ordinal)))
        {
            // spec.limits[<type>].<field>.<resource>: fields hold no dot, resources may (nvidia.com/gpu), so the first dot ends the field.
            var close = path.IndexOf(']', StringComparison.Ordinal);
            var type = path[LimitsPrefix.Length..close];
            var rest = path[(close + 2)..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            var byField = items.TryGetValue(type, out var existing) ? existing : items[type] = [];
            var values = byField.TryGetValue(rest[..dot], out var known) ? known : byField[rest[..dot]] = [];
            values[rest[(dot + 1)..]] = value;
        }
        return [.. items.Select(i => LimitRangeItem.Of(i.Key, i.Value))];
    }
}
