using k8s;
using k8s.Models;
using MultiCluster.Core.Access;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// Kubernetes objects and the engine's <see cref="ManagedObject"/>, both ways (quota kinds here, RBAC kinds in <see cref="RbacObjects"/>): what to apply for a desired object, and
/// what an object in a cluster says in the engine's terms (its owned fields laid out by <see cref="QuotaFields"/>).
/// </summary>
public static class ManagedKubernetesObjects
{
    public const string ResourceQuota = QuotaFields.ResourceQuota;
    public const string LimitRange = QuotaFields.LimitRange;

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
                    Hard = Quantities(QuotaFields.Hard(desired.Fields)),
                    Scopes = QuotaFields.Scopes(desired.Fields) is { Count: > 0 } scopes ? [.. scopes] : null,
                },
            },
            LimitRange => new V1LimitRange
            {
                ApiVersion = "v1",
                Kind = LimitRange,
                Metadata = metadata,
                Spec = new V1LimitRangeSpec
                {
                    Limits = [.. QuotaFields.Limits(desired.Fields).Select(item => new V1LimitRangeItem
                    {
                        Type = item.Type,
                        DefaultProperty = QuantitiesOrNull(item.Default),
                        DefaultRequest = QuantitiesOrNull(item.DefaultRequest),
                        Min = QuantitiesOrNull(item.Min),
                        Max = QuantitiesOrNull(item.Max),
                        MaxLimitRequestRatio = QuantitiesOrNull(item.MaxLimitRequestRatio),
                    })],
                },
            },
            _ => RbacObjects.ToKubernetes(desired, metadata),
        };
    }

    public static ManagedObject FromKubernetes(string cluster, V1ResourceQuota quota) =>
        Of(cluster, ResourceQuota, quota.Metadata, QuotaFields.OfQuota(Texts(quota.Spec?.Hard), quota.Spec?.Scopes ?? []));

    public static ManagedObject FromKubernetes(string cluster, V1LimitRange limitRange) =>
        Of(cluster, LimitRange, limitRange.Metadata, QuotaFields.OfLimits((limitRange.Spec?.Limits ?? []).Select(item => new LimitRangeItem
        {
            Type = item.Type,
            Default = Texts(item.DefaultProperty),
            DefaultRequest = Texts(item.DefaultRequest),
            Min = Texts(item.Min),
            Max = Texts(item.Max),
            MaxLimitRequestRatio = Texts(item.MaxLimitRequestRatio),
        })));

    /// <summary>The object in the engine's terms, whichever of the two kinds it is.</summary>
    public static ManagedObject FromKubernetes(string cluster, IKubernetesObject<V1ObjectMeta> item) => item switch
    {
        V1ResourceQuota quota => FromKubernetes(cluster, quota),
        V1LimitRange limitRange => FromKubernetes(cluster, limitRange),
        V1RoleBinding binding => Of(cluster, RbacFields.RoleBinding, binding.Metadata, RbacObjects.FieldsOf(binding.RoleRef, binding.Subjects)),
        V1ClusterRoleBinding binding => Of(cluster, RbacFields.ClusterRoleBinding, binding.Metadata, RbacObjects.FieldsOf(binding.RoleRef, binding.Subjects)),
        V1ClusterRole role => Of(cluster, RbacFields.ClusterRole, role.Metadata, RbacObjects.FieldsOf(role)),
        V1Role role => Of(cluster, RbacFields.Role, role.Metadata, RbacObjects.FieldsOf(role)),
        _ => throw new ArgumentOutOfRangeException(nameof(item), item.Kind, "Not a kind the engine writes."),
    };

    internal static ManagedObject Of(string cluster, string kind, V1ObjectMeta metadata, SortedDictionary<string, string> fields) =>
        new(cluster, kind, metadata.NamespaceProperty, metadata.Name,
            new SortedDictionary<string, string>(metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            // Only the engine's own annotations: others (kubectl's last-applied configuration) can be large and say nothing to it.
            new SortedDictionary<string, string>((metadata.Annotations ?? new Dictionary<string, string>())
                .Where(a => a.Key.StartsWith(ManagedLabels.AnnotationPrefix, StringComparison.Ordinal)).ToDictionary(), StringComparer.Ordinal),
            fields) { ResourceVersion = metadata.ResourceVersion };

    private static Dictionary<string, string> Texts(IDictionary<string, ResourceQuantity>? quantities) =>
        (quantities ?? new Dictionary<string, ResourceQuantity>()).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);

    private static Dictionary<string, ResourceQuantity> Quantities(IReadOnlyDictionary<string, string> texts) =>
        texts.ToDictionary(t => t.Key, t => new ResourceQuantity(t.Value), StringComparer.Ordinal);

    private static Dictionary<string, ResourceQuantity>? QuantitiesOrNull(IReadOnlyDictionary<string, string> texts) =>
        texts.Count == 0 ? null : Quantities(texts);
}
