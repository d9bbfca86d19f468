using k8s;
using k8s.Models;
using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>RoleBindings, ClusterRoleBindings and ClusterRoles and the engine's <see cref="ManagedObject"/>, both ways (fields laid out by <see cref="RbacFields"/>).</summary>
public static class RbacObjects
{
    private const string RbacGroup = "rbac.authorization.k8s.io";
    private const string RbacApiVersion = RbacGroup + "/v1";

    public static IKubernetesObject<V1ObjectMeta> ToKubernetes(ManagedObject desired, V1ObjectMeta metadata)
    {
        switch (desired.Kind)
        {
            case RbacFields.ClusterRole:
                foreach (var (key, value) in RbacFields.Labels(desired.Fields))
                {
                    metadata.Labels[key] = value;
                }
                return new V1ClusterRole
                {
                    ApiVersion = RbacApiVersion, Kind = RbacFields.ClusterRole, Metadata = metadata,
                    Rules = [.. RbacFields.Rules(desired.Fields).Select(r => new V1PolicyRule
                    {
                        ApiGroups = [.. r.ApiGroups], Resources = [.. r.Resources], Verbs = [.. r.Verbs], ResourceNames = r.ResourceNames.Count > 0 ? [.. r.ResourceNames] : null,
                    })],
                };
            default:
                var (kind, name) = RbacFields.RoleRef(desired.Fields);
                var roleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = kind, Name = name };
                var subjects = RbacFields.Subjects(desired.Fields).Select(s => new Rbacv1Subject { Kind = s.Kind, Name = s.Name, ApiGroup = RbacGroup }).ToList();
                return desired.Kind == RbacFields.ClusterRoleBinding
                    ? new V1ClusterRoleBinding { ApiVersion = RbacApiVersion, Kind = RbacFields.ClusterRoleBinding, Metadata = metadata, RoleRef = roleRef, Subjects = subjects }
                    : new V1RoleBinding { ApiVersion = RbacApiVersion, Kind = RbacFields.RoleBinding, Metadata = metadata, RoleRef = roleRef, Subjects = subjects };
        }
    }

    public static SortedDictionary<string, string> FieldsOf(V1RoleRef? roleRef, IEnumerable<Rbacv1Subject>? subjects) =>
        RbacFields.OfBinding(roleRef?.Kind ?? RbacFields.ClusterRole, roleRef?.Name ?? "", (subjects ?? []).Select(s => new BindingSubject(s.Kind, s.Kind == "ServiceAccount" ? $"{s.NamespaceProperty}/{s.Name}" : s.Name)));

    /// <summary>A ClusterRole's rules, and of its labels those that are not the engine's (aggregation labels and others).</summary>
    public static SortedDictionary<string, string> FieldsOf(V1ClusterRole role) => FieldsOf(role.Rules, role.Metadata);

    public static SortedDictionary<string, string> FieldsOf(V1Role role) => FieldsOf(role.Rules, role.Metadata);

    private static SortedDictionary<string, string> FieldsOf(IList<V1PolicyRule>? rules, V1ObjectMeta metadata) =>
        RbacFields.OfClusterRole(
            (rules ?? []).Select(r => new AccessRule { ApiGroups = [.. r.ApiGroups ?? []], Resources = [.. r.Resources ?? []], Verbs = [.. r.Verbs ?? []], ResourceNames = [.. r.ResourceNames ?? []] }),
            (metadata.Labels ?? new Dictionary<string, string>()).Where(l => l.Key != ManagedLabels.ManagedBy && !l.Key.StartsWith(ManagedLabels.AnnotationPrefix, StringComparison.Ordinal))
                .ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal));
}
