using k8s;
using k8s.Models;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// Kubernetes objects and the engine's <see cref="ManagedObject"/>, both ways: what to apply for a desired object, and
/// what an object in a cluster says in the engine's terms (its owned fields flattened the same way).
/// </summary>
public static class ManagedKubernetesObjects
{
    public const string ResourceQuota = "ResourceQuota";
    public const string LimitRange = "LimitRange";

    /// <summary>The object to apply for <paramref name="desired"/>: only the fields the engine owns, with its labels and annotations.</summary>
    public static IKubernetesObject<V1ObjectMeta> ToKubernetes(ManagedObject desired)
    {
        var metadata = new V1ObjectMeta
        {
            Name = desired.Name,
            NamespaceProperty = desired.Namespace,
            Labels = new Dictionary<string, string>(desired.Labels),
            Annotations = new Dictionary<string, string>(desired.Annotations),
        };
        return desired.Kind switch
        {
            ResourceQuota => new V1ResourceQuota
            {
                ApiVersion = "v1",
                Kind = ResourceQuota,
                Metadata = metadata,
                Spec = new V1ResourceQuotaSpec
                {
                    Hard = Section(desired.Fields, "spec.hard.").ToDictionary(f => f.Key, f => new ResourceQuantity(f.Value)),
                    Scopes = desired.Fields.TryGetValue("spec.scopes", out var scopes) ? scopes.Split(',') : null,
                },
            },
            LimitRange => new V1LimitRange
            {
                ApiVersion = "v1",
                Kind = LimitRange,
                Metadata = metadata,
                Spec = new V1LimitRangeSpec { Limits = [.. LimitItems(desired.Fields)] },
            },
            _ => throw new ArgumentOutOfRangeException(nameof(desired), desired.Kind, "The engine writes ResourceQuotas and LimitRanges."),
        };
    }

    public static ManagedObject FromKubernetes(string cluster, V1ResourceQuota quota)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (resource, quantity) in quota.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>())
        {
            fields[$"spec.hard.{resource}"] = quantity.ToString();
        }
        if (quota.Spec?.Scopes is { Count: > 0 } scopes)
        {
            fields["spec.scopes"] = string.Join(",", scopes.Order(StringComparer.Ordinal));
        }
        return Of(cluster, ResourceQuota, quota.Metadata, fields);
    }

    public static ManagedObject FromKubernetes(string cluster, V1LimitRange limitRange)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in limitRange.Spec?.Limits ?? [])
        {
            foreach (var (field, values) in new[] { ("default", item.DefaultProperty), ("defaultRequest", item.DefaultRequest), ("min", item.Min), ("max", item.Max), ("maxLimitRequestRatio", item.MaxLimitRequestRatio) })
            {
                foreach (var (resource, quantity) in values ?? new Dictionary<string, ResourceQuantity>())
                {
                    fields[$"spec.limits[{item.Type}].{field}.{resource}"] = quantity.ToString();
                }
            }
        }
        return Of(cluster, LimitRange, limitRange.Metadata, fields);
    }

    private static ManagedObject Of(string cluster, string kind, V1ObjectMeta metadata, SortedDictionary<string, string> fields) =>
        new(cluster, kind, metadata.NamespaceProperty, metadata.Name,
            new SortedDictionary<string, string>(metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            new SortedDictionary<string, string>(metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            fields);

    private static IEnumerable<KeyValuePair<string, string>> Section(IReadOnlyDictionary<string, string> fields, string prefix) =>
        fields.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(f => KeyValuePair.Create(f.Key[prefix.Length..], f.Value));

    private static IEnumerable<V1LimitRangeItem> LimitItems(IReadOnlyDictionary<string, string> fields)
    {
        // spec.limits[<type>].<field>.<resource>: fields hold no dot, resources may (nvidia.com/gpu), so the first dot ends the field.
        var items = new SortedDictionary<string, V1LimitRangeItem>(StringComparer.Ordinal);
        foreach (var (path, value) in Section(fields, "spec.limits["))
        {
            var close = path.IndexOf(']', StringComparison.Ordinal);
            var type = path[..close];
            var rest = path[(close + 2)..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            var (field, resource) = (rest[..dot], rest[(dot + 1)..]);
            var item = items.TryGetValue(type, out var existing) ? existing : items[type] = new V1LimitRangeItem { Type = type };
            var values = field switch
            {
                "default" => item.DefaultProperty ??= new Dictionary<string, ResourceQuantity>(),
                "defaultRequest" => item.DefaultRequest ??= new Dictionary<string, ResourceQuantity>(),
                "min" => item.Min ??= new Dictionary<string, ResourceQuantity>(),
                "max" => item.Max ??= new Dictionary<string, ResourceQuantity>(),
                "maxLimitRequestRatio" => item.MaxLimitRequestRatio ??= new Dictionary<string, ResourceQuantity>(),
                _ => throw new ArgumentException($"'{path}' is not a LimitRange field."),
            };
            values[resource] = new ResourceQuantity(value);
        }
        return items.Values;
    }
}
