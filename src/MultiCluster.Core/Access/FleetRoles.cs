using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Access;

/// <summary>
/// The fleet-wide dashboard roles as the clusters see them. A person with one is impersonated with its group
/// (<c>multicluster:fleet:administrator</c>), as a team's member is with the team's, and the engine keeps one
/// ClusterRoleBinding per role in every cluster (<c>mc-fleet-administrator</c> to <c>cluster-admin</c>, the Operator's and
/// the Viewer's to <c>view</c>), as Rancher binds its global roles in the clusters it manages. Turned off with
/// <c>Access:BindFleetRoles=false</c>, the clusters' own administrators bind those groups as they see fit.
/// </summary>
public static class FleetRoles
{
    public const string OwnerKind = "fleetrole";

    /// <summary>Each fleet-wide role and the ClusterRole its group is bound to.</summary>
    public static IReadOnlyList<(string Role, string ClusterRole)> Bindings { get; } =
        [("Administrator", "cluster-admin"), ("Operator", "view"), ("Viewer", "view")];

    public static string Group(string role, AccessOptions options) => options.FleetRolePrefix + role.ToLowerInvariant();

    public static string BindingName(string role) => "mc-fleet-" + role.ToLowerInvariant();

    /// <summary>The three bindings every cluster holds.</summary>
    public static ClusterPlan Plan(ClusterFacts cluster, AccessOptions options) => new(
        [.. Bindings.Select(b => new ManagedObject(cluster.Name, RbacFields.ClusterRoleBinding, null, BindingName(b.Role),
            ManagedLabels.For(OwnerKind, b.Role.ToLowerInvariant()), ManagedLabels.Annotations(1),
            RbacFields.OfBinding(b.ClusterRole, [new BindingSubject("Group", Group(b.Role, options))])))],
        Bindings.ToDictionary(b => b.Role.ToLowerInvariant(), _ => PolicyMode.Enforce, StringComparer.Ordinal));
}
