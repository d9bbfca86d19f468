using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Web.Access;

/// <summary>One team in the Access list: its members (admins first), its ceiling in words and how many grants it has.</summary>
public sealed record TeamRow(Team Team, IReadOnlyList<TeamMember> Members, string Ceiling, int Grants);

/// <summary>One grant in the Access list: what it reaches in words, and how its targets stand.</summary>
public sealed record GrantRow(AccessGrant Grant, string Scope, int Targets, IReadOnlyList<StatusCount> Statuses);

/// <summary>The Access pages' projections of teams and grants, in words a team admin reads, kept out of the components.</summary>
public static class AccessView
{
    public static IReadOnlyList<TeamRow> Teams(IEnumerable<Team> teams, IEnumerable<AccessGrant> grants)
    {
        var counts = grants.GroupBy(g => g.Team, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return [.. teams.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => new TeamRow(t, Members(t), CeilingText(t.Ceiling), counts.GetValueOrDefault(t.Name)))];
    }

    /// <summary>Admins first, then by kind and name.</summary>
    public static IReadOnlyList<TeamMember> Members(Team team) =>
        [.. team.Members.OrderByDescending(m => m.IsAdmin).ThenBy(m => m.Kind).ThenBy(m => m.Name, StringComparer.Ordinal)];

    public static IReadOnlyList<GrantRow> Grants(IEnumerable<AccessGrant> grants, IEnumerable<PolicyTarget> targets)
    {
        var byGrant = targets.GroupBy(t => t.Owner, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return [.. grants.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g =>
        {
            var mine = byGrant.GetValueOrDefault(g.Name) ?? [];
            return new GrantRow(g, ScopeText(g), mine.Count, QuotaPolicyView.Count(mine));
        })];
    }

    /// <summary>"view, edit in namespaces team-* of clusters with labels env=prod; no cluster-wide grants."</summary>
    public static string CeilingText(TeamCeiling ceiling)
    {
        if (ceiling.Roles.Count == 0 || (ceiling.NamespacePatterns.Count == 0 && !ceiling.AllowClusterWide))
        {
            return "nothing yet (an Administrator sets the roles, namespaces and clusters its grants may reach).";
        }
        var roles = string.Join(", ", ceiling.Roles);
        var clusters = ClustersText(ceiling.Scope);
        return ceiling.NamespacePatterns.Count == 0
            ? $"{roles} cluster-wide in {clusters}, and in no single namespace."
            : $"{roles} in namespaces {string.Join(", ", ceiling.NamespacePatterns)} of {clusters}; {(ceiling.AllowClusterWide ? "cluster-wide grants too" : "no cluster-wide grants")}.";
    }

    /// <summary>"namespaces team-* in every cluster", "cluster-wide in prod-eu".</summary>
    public static string ScopeText(AccessGrant grant) =>
        $"{(grant.ClusterWide ? "cluster-wide" : $"namespaces {grant.Scope.NamespacesText}")} in {ClustersText(grant.Scope)}";

    /// <summary>"every cluster", "prod-eu, prod-us", "clusters with labels env=prod".</summary>
    public static string ClustersText(TargetScope scope) =>
        scope.Clusters.Count > 0 || string.IsNullOrWhiteSpace(scope.ClusterSelector) ? scope.ClustersText : $"clusters with labels {scope.ClusterSelector}";

    public static string RoleText(AccessGrant grant) => grant.IsBuiltInRole ? grant.Role : $"{grant.Role} (role template)";

    /// <summary>What a grant would reach now: "Reaches 3 namespaces in 2 clusters now (of 4 visible clusters)."</summary>
    public static string ReachText(IReadOnlyList<(string Cluster, string? Namespace)> targets, bool clusterWide, int visibleClusters)
    {
        var clusters = targets.Select(t => t.Cluster).Distinct(StringComparer.Ordinal).Count();
        var reach = clusterWide ? QuotaPolicyView.Plural(clusters, "whole cluster") : $"{QuotaPolicyView.Plural(targets.Count, "namespace")} in {QuotaPolicyView.Plural(clusters, "cluster")}";
        return $"Reaches {reach} now (of {QuotaPolicyView.Plural(visibleClusters, "visible cluster")}).";
    }

    /// <summary>The question asked before a team is deleted, naming its grants (a team with grants is not deleted).</summary>
    public static string DeleteTeamQuestion(Team team, int grants) =>
        grants == 0
            ? $"Deletes team {team.Name} and its {QuotaPolicyView.Plural(team.Members.Count, "member")}. It has no grants, so nothing changes in the clusters."
            : $"Team {team.Name} has {QuotaPolicyView.Plural(grants, "grant")}: a team is deleted only after its grants are, so this will be refused. Delete its grants first.";

    /// <summary>The question asked before a grant is deleted, naming what leaves the clusters (where the user may see them: <paramref name="targets"/> not null).</summary>
    public static string DeleteGrantQuestion(AccessGrant grant, IReadOnlyCollection<PolicyTarget>? targets)
    {
        var kind = grant.ClusterWide ? "ClusterRoleBinding" : "RoleBinding";
        var clusters = targets?.Select(t => t.Cluster).Distinct(StringComparer.Ordinal).Count() ?? 0;
        var where = targets is null ? "leaves every cluster it is in"
            : grant.ClusterWide ? $"leaves {QuotaPolicyView.Plural(clusters, "cluster")}"
            : $"leaves {QuotaPolicyView.Plural(targets.Count, "namespace")} in {QuotaPolicyView.Plural(clusters, "cluster")}";
        return $"Deletes grant {grant.Name}: its {kind} {grant.BindingName} {where}, and team {grant.Team} loses role {grant.Role} there. "
            + "Bindings of that name the dashboard did not write are left alone.";
    }
}
