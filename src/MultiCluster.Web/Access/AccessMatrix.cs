using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Web.Access;

/// <summary>What one team's grants give on one cluster: the roles in words (<c>view (3 ns)</c>, <c>admin cluster-wide</c>) and the worst status of their targets there.</summary>
public sealed record MatrixCell(string Cluster, IReadOnlyList<string> Roles, TargetStatus? Status, int Targets)
{
    public bool IsEmpty => Roles.Count == 0;

    /// <summary>"view (3 ns), admin cluster-wide"; "no access" for an empty cell (read aloud by screen readers too).</summary>
    public string Text => IsEmpty ? "no access" : string.Join(", ", Roles);
}

/// <summary>One team's row: a cell per cluster, in the order of <see cref="AccessMatrixView.Clusters"/>.</summary>
public sealed record MatrixRow(Team Team, IReadOnlyList<MatrixCell> Cells);

public sealed record AccessMatrixView(IReadOnlyList<string> Clusters, IReadOnlyList<MatrixRow> Rows);

/// <summary>
/// Teams × clusters: the effective roles each team's grants give on each cluster, within the team's ceiling, as the planner
/// would bind them now, and how the engine finds those bindings (the worst status of the grants' targets on the cluster).
/// </summary>
public static class AccessMatrix
{
    /// <param name="clusters">The clusters the reader sees (columns), with their namespaces in <paramref name="namespaces"/>.</param>
    /// <param name="targets">The grants' targets in the fleet store (others are ignored).</param>
    public static AccessMatrixView Build(IReadOnlyList<Team> teams, IReadOnlyList<AccessGrant> grants, IReadOnlyList<ClusterFacts> clusters,
        IReadOnlyList<NamespaceFacts> namespaces, IEnumerable<PolicyTarget> targets)
    {
        var ordered = clusters.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var statuses = targets.Where(t => t.OwnerKind == AccessGrant.OwnerKind)
            .GroupBy(t => (t.Owner, t.Cluster))
            .ToDictionary(g => g.Key, g => g.Select(t => t.Status).ToList());
        var rows = teams.OrderBy(t => t.Name, StringComparer.Ordinal).Select(team =>
        {
            var mine = grants.Where(g => g.Team == team.Name).OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
            return new MatrixRow(team, [.. ordered.Select(c => Cell(team, mine, c, namespaces, statuses))]);
        });
        return new([.. ordered.Select(c => c.Name)], [.. rows]);
    }

    private static MatrixCell Cell(Team team, IReadOnlyList<AccessGrant> grants, ClusterFacts cluster, IReadOnlyList<NamespaceFacts> namespaces,
        IReadOnlyDictionary<(string, string), List<TargetStatus>> statuses)
    {
        var reaching = grants.Where(g => PersonAccess.Reaches(g, team, cluster)).ToList();
        var roles = reaching.GroupBy(g => g.Role, StringComparer.Ordinal)
            .OrderBy(g => RoleOrder(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => RoleText(g.Key, g.Any(x => x.ClusterWide),
                g.Where(x => !x.ClusterWide).SelectMany(x => AccessPlanner.Targets(x, team, [cluster], namespaces)).Select(t => t.Namespace).Distinct(StringComparer.Ordinal).Count()))
            .ToList();
        var found = reaching.SelectMany(g => statuses.GetValueOrDefault((g.Name, cluster.Name)) ?? []).ToList();
        return new(cluster.Name, roles, found.Count == 0 ? null : TargetStatuses.Worst(found), found.Count);
    }

    /// <summary>"admin cluster-wide" (a ClusterRoleBinding covers every namespace), "view (3 ns)", "view (no namespace yet)".</summary>
    public static string RoleText(string role, bool clusterWide, int namespaces) =>
        clusterWide ? $"{role} cluster-wide" : namespaces == 0 ? $"{role} (no namespace yet)" : $"{role} ({namespaces} ns)";

    /// <summary>Kubernetes' roles from the least to the most, then the templates by name.</summary>
    private static int RoleOrder(string role)
    {
        for (var i = 0; i < AccessGrant.BuiltInRoles.Count; i++)
        {
            if (AccessGrant.BuiltInRoles[i] == role)
            {
                return i;
            }
        }
        return AccessGrant.BuiltInRoles.Count;
    }
}
