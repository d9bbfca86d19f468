using k8s;
using k8s.Models;
using MultiCluster.Core.Access;
using MultiCluster.Core.Quotas;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// One kind the engine writes: how to apply (server-side apply), read and delete an object of it with KubernetesClient,
/// namespaced or cluster-scoped alike. The writer looks kinds up here, so a new user of the engine adds rows, not branches.
/// <see cref="WriteOrder"/>: lower first in a pass, so what others depend on exists before them (a LimitRange's defaults
/// before the ResourceQuota that would refuse pods without requests; a role before its bindings).
/// </summary>
public sealed record ManagedKind(
    string Kind,
    int WriteOrder,
    Func<IKubernetes, V1Patch, string, string?, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> Apply,
    Func<IKubernetes, string, string?, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> Read,
    Func<IKubernetes, string, string?, V1DeleteOptions, CancellationToken, Task> Delete)
{
    public const string FieldManager = "multicluster";

    private static readonly Dictionary<string, ManagedKind> Kinds = new ManagedKind[]
    {
        new(QuotaFields.ResourceQuota, 1,
            async (c, patch, name, ns, ct) => await c.CoreV1.PatchNamespacedResourceQuotaAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            async (c, name, ns, ct) => await c.CoreV1.ReadNamespacedResourceQuotaAsync(name, ns, cancellationToken: ct),
            (c, name, ns, options, ct) => c.CoreV1.DeleteNamespacedResourceQuotaAsync(name, ns, options, cancellationToken: ct)),
        new(QuotaFields.LimitRange, 0,
            async (c, patch, name, ns, ct) => await c.CoreV1.PatchNamespacedLimitRangeAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            async (c, name, ns, ct) => await c.CoreV1.ReadNamespacedLimitRangeAsync(name, ns, cancellationToken: ct),
            (c, name, ns, options, ct) => c.CoreV1.DeleteNamespacedLimitRangeAsync(name, ns, options, cancellationToken: ct)),
        new(RbacFields.RoleBinding, 1,
            async (c, patch, name, ns, ct) => await c.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(patch, name, ns, fieldManager: FieldManager, force: true, cancellationToken: ct),
            async (c, name, ns, ct) => await c.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(name, ns, cancellationToken: ct),
            (c, name, ns, options, ct) => c.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(name, ns, options, cancellationToken: ct)),
        new(RbacFields.ClusterRoleBinding, 1,
            async (c, patch, name, _, ct) => await c.RbacAuthorizationV1.PatchClusterRoleBindingAsync(patch, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
            async (c, name, _, ct) => await c.RbacAuthorizationV1.ReadClusterRoleBindingAsync(name, cancellationToken: ct),
            (c, name, _, options, ct) => c.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(name, options, cancellationToken: ct)),
        new(RbacFields.ClusterRole, 0,
            async (c, patch, name, _, ct) => await c.RbacAuthorizationV1.PatchClusterRoleAsync(patch, name, fieldManager: FieldManager, force: true, cancellationToken: ct),
            async (c, name, _, ct) => await c.RbacAuthorizationV1.ReadClusterRoleAsync(name, cancellationToken: ct),
            (c, name, _, options, ct) => c.RbacAuthorizationV1.DeleteClusterRoleAsync(name, options, cancellationToken: ct)),
    }.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    public static ManagedKind Of(string kind) =>
        Kinds.TryGetValue(kind, out var known) ? known : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind the engine writes.");
}
