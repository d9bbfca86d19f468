using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Access;

/// <summary>A binding the dashboard did not make that names a team's group or identity-provider groups: access given behind its back.</summary>
public sealed record UnmanagedBinding(string Cluster, string Kind, string? Namespace, string Name, string Role, IReadOnlyList<BindingSubject> Subjects, IReadOnlyList<string> Teams);

public static class ShadowAccess
{
    /// <summary>
    /// Every RoleBinding and ClusterRoleBinding in <paramref name="bindings"/> that is not the engine's and names, as a
    /// Group, a team's Kubernetes group or one of its identity-provider groups, a fleet-wide role's group, or a dashboard user
    /// (<see cref="AccessOptions.UserPrefix"/>). A binding is the engine's only when it carries our labels for a grant that
    /// exists (or a fleet-wide role) under the name the engine gives it: a label alone does not hide a binding.
    /// </summary>
    public static IReadOnlyList<UnmanagedBinding> Find(IEnumerable<ManagedObject> bindings, IReadOnlyList<Team> teams, IReadOnlyList<AccessGrant> grants, AccessOptions options)
    {
        var bindingNames = grants.ToDictionary(g => g.Name, g => g.BindingName, StringComparer.Ordinal);
        bool Ours(ManagedObject b) =>
            (b.Owner(AccessGrant.OwnerKind) is { } grant && bindingNames.GetValueOrDefault(grant) == b.Name)
            || (b.Owner(FleetRoles.OwnerKind) is { } role && b.Kind == RbacFields.ClusterRoleBinding && FleetRoles.BindingName(role) == b.Name);
        var teamsOfGroup = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var team in teams)
        {
            foreach (var group in team.IdentityProviderGroups.Append(team.KubernetesGroup(options.GroupPrefix)))
            {
                (teamsOfGroup.TryGetValue(group, out var named) ? named : teamsOfGroup[group] = []).Add(team.Name);
            }
        }
        return [.. bindings
            .Where(b => b.Kind is RbacFields.RoleBinding or RbacFields.ClusterRoleBinding && !Ours(b))
            .Select(b => (Binding: b, Subjects: RbacFields.Subjects(b.Fields)))
            .Select(x => (x.Binding, x.Subjects, Teams: x.Subjects.Where(s => s.Kind == "Group").SelectMany(s => teamsOfGroup.GetValueOrDefault(s.Name) ?? []).Distinct().Order(StringComparer.Ordinal).ToList(),
                Users: x.Subjects.Any(s => s.Kind == "User" && s.Name.StartsWith(options.UserPrefix, StringComparison.Ordinal))))
            .Where(x => x.Teams.Count > 0 || x.Users || x.Subjects.Any(s => s.Kind == "Group"
                && (s.Name.StartsWith(options.GroupPrefix, StringComparison.Ordinal) || s.Name.StartsWith(options.FleetRolePrefix, StringComparison.Ordinal))))
            .Select(x => new UnmanagedBinding(x.Binding.Cluster, x.Binding.Kind, x.Binding.Namespace, x.Binding.Name, RbacFields.RoleRef(x.Binding.Fields).Name, x.Subjects, x.Teams))
            .OrderBy(u => u.Cluster, StringComparer.Ordinal).ThenBy(u => u.Namespace, StringComparer.Ordinal).ThenBy(u => u.Name, StringComparer.Ordinal)];
    }
}
