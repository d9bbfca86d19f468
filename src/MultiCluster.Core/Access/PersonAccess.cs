using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Access;

/// <summary>What one team gives its member on one cluster: the team and its grants that reach the cluster.</summary>
public sealed record TeamOnCluster(Team Team, IReadOnlyList<AccessGrant> Grants)
{
    /// <summary>"team payments: view in team-a, team-b; edit cluster-wide".</summary>
    public string Text => $"team {Team.Name}: {string.Join("; ", Grants.Select(GrantText))}";

    private static string GrantText(AccessGrant grant) =>
        grant.ClusterWide ? $"{grant.Role} cluster-wide" : $"{grant.Role} in {string.Join(", ", grant.NamespacePatterns.DefaultIfEmpty(grant.NamespaceSelector is { Length: > 0 } s ? $"namespaces with labels {s}" : "every namespace"))}";
}

/// <summary>
/// One person as the clusters see them: the teams they belong to (by name or identity-provider group) and what those teams'
/// grants reach. Pure: the dashboard's visibility, per-team roles, impersonation and the sentences of a refusal all read it.
/// </summary>
public sealed record PersonAccess(string User, IReadOnlyList<Team> Teams, IReadOnlyList<AccessGrant> Grants)
{
    /// <summary>The person's fleet-wide dashboard role (Administrator, Operator, Viewer), held on every cluster; null when none.</summary>
    public string? FleetRole { get; init; }

    /// <summary>The Kubernetes user the dashboard impersonates for this person.</summary>
    public string KubernetesUser(AccessOptions options) => options.UserPrefix + User;

    /// <summary>The groups sent with impersonation: each team's group, the fleet-wide role's, then <c>system:authenticated</c>.</summary>
    public IReadOnlyList<string> KubernetesGroups(AccessOptions options) =>
        [.. Teams.Select(t => t.KubernetesGroup(options.GroupPrefix)).Order(StringComparer.Ordinal),
            .. FleetRole is { } role ? [FleetRoles.Group(role, options)] : Array.Empty<string>(), "system:authenticated"];

    public static PersonAccess Of(string user, IReadOnlyCollection<string> groups, IEnumerable<Team> teams, IEnumerable<AccessGrant> grants, string? fleetRole = null)
    {
        var mine = teams.Where(t => t.HasMember(user, groups)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var names = mine.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return new(user, mine, [.. grants.Where(g => names.Contains(g.Team)).OrderBy(g => g.Name, StringComparer.Ordinal)]) { FleetRole = fleetRole };
    }

    /// <summary>The person's teams with grants on <paramref name="cluster"/>, and those grants (within each team's ceiling).</summary>
    public IReadOnlyList<TeamOnCluster> On(ClusterFacts cluster) =>
        [.. Teams.Select(t => new TeamOnCluster(t, [.. Grants.Where(g => g.Team == t.Name && Reaches(g, t, cluster))]))
            .Where(t => t.Grants.Count > 0)];

    /// <summary>The highest dashboard role a team gives on <paramref name="cluster"/> (Operator above Viewer), or null.</summary>
    public string? RoleOn(ClusterFacts cluster) =>
        On(cluster).Select(t => t.Team.DashboardRole).OrderBy(RoleRank).FirstOrDefault();

    /// <summary>Whether a grant reaches a cluster at all: the team's ceiling allows its role (and cluster-wide, if it is) and both select the cluster.</summary>
    public static bool Reaches(AccessGrant grant, Team team, ClusterFacts cluster) =>
        team.Ceiling.Roles.Contains(grant.Role, StringComparer.Ordinal)
        && (!grant.ClusterWide || team.Ceiling.AllowClusterWide)
        && grant.Scope.SelectsCluster(cluster)
        && team.Ceiling.Scope.SelectsCluster(cluster);

    /// <summary>"your access to prod-eu (team payments: view in team-a) does not allow reading logs in team-b".</summary>
    public string Refusal(ClusterFacts cluster, string what)
    {
        IReadOnlyList<string> parts = [.. FleetRole is { } role ? [$"fleet-wide {role}"] : Array.Empty<string>(), .. On(cluster).Select(t => t.Text)];
        var through = parts.Count == 0 ? "no team of yours has a grant there" : string.Join("; ", parts);
        return $"Your access to {cluster.Name} ({through}) does not allow {what}.";
    }

    /// <summary>Administrator above Operator above Viewer: the lower the rank, the more the role allows.</summary>
    public static int RoleRank(string role) => role switch
    {
        "Administrator" => 0,
        "Operator" => 1,
        _ => 2,
    };
}
