using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Access;

/// <summary>How grants become subjects: the team group's prefix, whether identity-provider groups are bound too, the users' prefix.</summary>
public sealed record AccessOptions
{
    public string GroupPrefix { get; init; } = AccessGrant.DefaultGroupPrefix;

    public string UserPrefix { get; init; } = "multicluster:user:";

    /// <summary><c>Access:BindIdpGroups</c>: bind a team's identity-provider groups too, so kubectl with the same issuer gets the same rights.</summary>
    public bool BindIdpGroups { get; init; }

    /// <summary>The group a fleet-wide dashboard role is impersonated with: <c>multicluster:fleet:administrator</c>.</summary>
    public string FleetRolePrefix { get; init; } = "multicluster:fleet:";

    /// <summary><c>Access:BindFleetRoles</c>: the engine binds the fleet-wide roles' groups in every cluster (<see cref="FleetRoles"/>).</summary>
    public bool BindFleetRoles { get; init; } = true;
}

/// <summary>A namespace (or, cluster-wide, a cluster) two grants of the same team and role both reach: refused at save time.</summary>
public sealed record GrantOverlap(string Grant, string OtherGrant, string Cluster, string? Namespace);

/// <summary>
/// The plan step of the engine for access, pure: from grants, teams and role templates, the bindings each cluster
/// and namespace should hold, and the ClusterRoles of the templates in use. A grant reaches only what its team's
/// ceiling allows, whatever it says.
/// </summary>
public static class AccessPlanner
{
    /// <summary>The namespaces (or, for a cluster-wide grant, the clusters: namespace null) a grant reaches, within its team's ceiling.</summary>
    public static IReadOnlyList<(string Cluster, string? Namespace)> Targets(AccessGrant grant, Team team, IReadOnlyList<ClusterFacts> clusters, IReadOnlyList<NamespaceFacts> namespaces)
    {
        var ceiling = team.Ceiling;
        if (!ceiling.Roles.Contains(grant.Role, StringComparer.Ordinal) || (grant.ClusterWide && !ceiling.AllowClusterWide))
        {
            return [];
        }
        var allowed = clusters.Where(c => grant.Scope.SelectsCluster(c) && ceiling.Scope.SelectsCluster(c)).ToList();
        if (grant.ClusterWide)
        {
            return [.. allowed.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => (c.Name, (string?)null))];
        }
        return [.. grant.Scope.Targets(allowed, namespaces)
            .Where(n => ceiling.NamespacePatterns.Any(p => TargetScope.Glob(p, n.Name)))
            .Select(n => (n.Cluster, (string?)n.Name))];
    }

    /// <summary>Every binding the grants want in one cluster (and the grants' modes); where two would write one binding, the first by name does.</summary>
    public static ClusterPlan Bindings(IReadOnlyList<AccessGrant> grants, IReadOnlyList<Team> teams, ClusterFacts cluster, IReadOnlyList<NamespaceFacts> namespaces, AccessOptions options)
    {
        var byTeam = teams.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var desired = new Dictionary<string, ManagedObject>(StringComparer.Ordinal);
        foreach (var grant in grants.OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            if (!byTeam.TryGetValue(grant.Team, out var team))
            {
                continue;
            }
            foreach (var (_, ns) in Targets(grant, team, [cluster], namespaces))
            {
                var binding = Binding(grant, team, cluster.Name, ns, options);
                desired.TryAdd(binding.Key, binding);
            }
        }
        return new ClusterPlan([.. desired.Values.OrderBy(d => d.Key, StringComparer.Ordinal)], grants.ToDictionary(g => g.Name, g => g.Mode, StringComparer.Ordinal));
    }

    /// <summary>The ClusterRoles of the templates that some grant reaching this cluster uses.</summary>
    public static ClusterPlan ClusterRoles(IReadOnlyList<RoleTemplate> templates, IReadOnlyList<AccessGrant> grants, IReadOnlyList<Team> teams, ClusterFacts cluster,
        IReadOnlyList<NamespaceFacts> namespaces)
    {
        var byTeam = teams.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var used = grants
            .Where(g => !g.IsBuiltInRole && byTeam.TryGetValue(g.Team, out var team) && Targets(g, team, [cluster], namespaces).Count > 0)
            .Select(g => g.Role)
            .ToHashSet(StringComparer.Ordinal);
        var desired = templates.Where(t => used.Contains(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => ClusterRole(t, cluster.Name)).ToList();
        return new ClusterPlan(desired, templates.ToDictionary(t => t.Name, _ => PolicyMode.Enforce, StringComparer.Ordinal));
    }

    public static ManagedObject Binding(AccessGrant grant, Team team, string cluster, string? ns, AccessOptions options)
    {
        var subjects = new List<BindingSubject> { new("Group", team.KubernetesGroup(options.GroupPrefix)) };
        if (options.BindIdpGroups)
        {
            subjects.AddRange(team.IdentityProviderGroups.Select(g => new BindingSubject("Group", g)));
        }
        subjects.AddRange(grant.Users.Select(u => new BindingSubject("User", options.UserPrefix + u)));
        return new ManagedObject(cluster, ns is null ? RbacFields.ClusterRoleBinding : RbacFields.RoleBinding, ns, grant.BindingName,
            ManagedLabels.For(AccessGrant.OwnerKind, grant.Name), ManagedLabels.Annotations(grant.Generation), RbacFields.OfBinding(grant.ClusterRoleName, subjects));
    }

    public static ManagedObject ClusterRole(RoleTemplate template, string cluster)
    {
        var labels = new SortedDictionary<string, string>(template.AggregationLabels.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in ManagedLabels.For(RoleTemplate.OwnerKind, template.Name))
        {
            labels[key] = value;
        }
        return new ManagedObject(cluster, RbacFields.ClusterRole, null, template.ObjectName, labels, ManagedLabels.Annotations(template.Generation),
            RbacFields.OfClusterRole(template.Rules, template.AggregationLabels));
    }

    /// <summary>Where <paramref name="candidate"/> and another grant of the same team and role would write one binding.</summary>
    public static IReadOnlyList<GrantOverlap> Overlaps(AccessGrant candidate, IEnumerable<AccessGrant> others, IReadOnlyList<Team> teams, IReadOnlyList<ClusterFacts> clusters,
        IReadOnlyList<NamespaceFacts> namespaces)
    {
        var byTeam = teams.ToDictionary(t => t.Name, StringComparer.Ordinal);
        if (!byTeam.TryGetValue(candidate.Team, out var team))
        {
            return [];
        }
        var mine = Targets(candidate, team, clusters, namespaces).ToHashSet();
        return [.. others
            .Where(o => o.Name != candidate.Name && o.Team == candidate.Team && o.Role == candidate.Role && o.ClusterWide == candidate.ClusterWide)
            .SelectMany(o => Targets(o, team, clusters, namespaces).Where(mine.Contains).Select(t => new GrantOverlap(candidate.Name, o.Name, t.Cluster, t.Namespace)))];
    }
}
