using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Access;

/// <summary>What is wrong with a team, a grant or a role template before anything is written, and where a grant crosses its team's ceiling.</summary>
public static class AccessValidation
{
    private static readonly string[] DashboardRoles = ["Operator", "Viewer"];

    public static IReadOnlyList<string> Validate(Team team)
    {
        var problems = new List<string>();
        if (!IsName(team.Name, 40))
        {
            problems.Add($"'{team.Name}' is not a valid team name: use at most 40 lower-case letters, digits and '-', starting and ending with a letter or digit.");
        }
        if (!DashboardRoles.Contains(team.DashboardRole, StringComparer.Ordinal))
        {
            problems.Add($"A team's members are Operators or Viewers on its clusters, not '{team.DashboardRole}'.");
        }
        problems.AddRange(team.Members.Where(m => string.IsNullOrWhiteSpace(m.Name)).Select(_ => "A member needs a user name or a group."));
        problems.AddRange(team.Members.GroupBy(m => (m.Kind, m.Name)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Kind} '{g.Key.Name}' is a member twice."));
        // A group member is bound as it is named (Access:BindIdpGroups): a Kubernetes system group would give the grants to
        // every authenticated caller, anonymous ones or every service account, and our own groups are the dashboard's.
        problems.AddRange(team.Members.Where(m => m.Kind == MemberKind.Group && ReservedGroupPrefixes.Any(p => m.Name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            .Select(m => $"Group '{m.Name}' cannot be a member: groups starting with system: are Kubernetes' own (everyone, anonymous callers, service accounts) and multicluster: ones are the dashboard's."));
        problems.AddRange(team.Members.Where(m => m.Kind == MemberKind.Group && m.Name.Any(c => char.IsControl(c) || c == ','))
            .Select(m => $"Group '{m.Name}' has a comma or a control character; identity providers' group names have neither."));
        problems.AddRange(team.Ceiling.Scope.Problems().Select(p => $"Ceiling: {p}"));
        return problems;
    }

    /// <param name="templates">The role templates that exist (a grant of another role than a built-in one names one of them).</param>
    public static IReadOnlyList<string> Validate(AccessGrant grant, IReadOnlyCollection<string> templates)
    {
        var problems = new List<string>();
        if (!IsName(grant.Name, 60))
        {
            problems.Add($"'{grant.Name}' is not a valid grant name: use at most 60 lower-case letters, digits and '-', starting and ending with a letter or digit.");
        }
        if (!grant.IsBuiltInRole && !templates.Contains(grant.Role))
        {
            problems.Add($"'{grant.Role}' is neither a Kubernetes role ({string.Join(", ", AccessGrant.BuiltInRoles)}) nor a role template.");
        }
        if (grant.ClusterWide && (grant.NamespacePatterns.Count > 0 || !string.IsNullOrWhiteSpace(grant.NamespaceSelector)))
        {
            problems.Add("A cluster-wide grant names no namespaces: it binds in the whole cluster.");
        }
        if (!grant.ClusterWide && grant.NamespacePatterns.Count == 0 && string.IsNullOrWhiteSpace(grant.NamespaceSelector))
        {
            problems.Add("Choose the namespaces (names, patterns such as team-*, or labels), or make the grant cluster-wide.");
        }
        problems.AddRange(grant.Scope.Problems());
        problems.AddRange(grant.Users.Where(u => string.IsNullOrWhiteSpace(u) || u.Contains(':', StringComparison.Ordinal)).Select(u => $"'{u}' is not a user name."));
        return problems;
    }

    public static IReadOnlyList<string> Validate(RoleTemplate template)
    {
        var problems = new List<string>();
        if (!IsName(template.Name, 60) || AccessGrant.BuiltInRoles.Contains(template.Name, StringComparer.Ordinal))
        {
            problems.Add($"'{template.Name}' is not a valid role template name: use at most 60 lower-case letters, digits and '-', and not a Kubernetes role's name.");
        }
        if (template.Rules.Count == 0)
        {
            problems.Add("A role template has at least one rule.");
        }
        for (var i = 0; i < template.Rules.Count; i++)
        {
            problems.AddRange(RuleProblems(template.Rules[i], $"Rule {i + 1}"));
        }
        foreach (var (key, value) in template.AggregationLabels)
        {
            if ((ClusterLabels.ValidateKey(key) ?? ClusterLabels.ValidateValue(key, value)) is { } label)
            {
                problems.Add($"Aggregation label: {label}");
            }
        }
        return problems;
    }

    /// <summary>The verbs RBAC knows: the API's own, and the special ones of bind, escalate, impersonate, use, approve and sign.</summary>
    public static readonly IReadOnlyList<string> Verbs =
        ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "bind", "escalate", "impersonate", "use", "approve", "sign", "*"];

    /// <summary>What is wrong with one rule, each in a sentence that starts with <paramref name="where"/>.</summary>
    private static IEnumerable<string> RuleProblems(AccessRule rule, string where)
    {
        if (rule.Verbs.Count == 0)
        {
            yield return $"{where} names no verb: give at least one, such as get, list or watch.";
        }
        foreach (var verb in rule.Verbs.Where(v => !Verbs.Contains(v, StringComparer.Ordinal)))
        {
            yield return $"{where}: '{verb}' is not a Kubernetes verb; use {string.Join(", ", Verbs.SkipLast(1))}, or * for every verb.";
        }
        if (rule.Resources.Count == 0)
        {
            yield return $"{where} names no resource: give at least one, such as pods, pods/log or deployments.";
        }
        foreach (var resource in rule.Resources.Where(r => !IsResource(r)))
        {
            yield return $"{where}: '{resource}' is not a resource; resources are lower-case plurals such as pods, pods/log or deployments (and * for all).";
        }
        if (rule.ApiGroups.Count == 0)
        {
            yield return $"{where} names no API group: use the core group (\"\") for pods and services, apps for deployments, or * for every group.";
        }
        foreach (var group in rule.ApiGroups.Where(g => g is not ("" or "*") && !IsGroup(g)))
        {
            yield return $"{where}: '{group}' is not an API group; groups are DNS names such as apps or networking.k8s.io.";
        }
        foreach (var name in rule.ResourceNames.Where(string.IsNullOrWhiteSpace))
        {
            yield return $"{where} has a blank resource name: leave the names out to allow every object.";
        }
    }

    /// <summary>A resource, a resource/subresource, <c>*</c> or <c>*/subresource</c>.</summary>
    private static bool IsResource(string resource) =>
        resource.Split('/') is var parts && parts.Length <= 2 && parts.All(p => p == "*" || (p.Length > 0 && p.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')));

    private static bool IsGroup(string group) => group.Split('.').All(label => DnsLabels.IsValid(label));

    /// <summary>Group names a team may not hold as members: Kubernetes' system groups and the dashboard's own.</summary>
    public static readonly IReadOnlyList<string> ReservedGroupPrefixes = ["system:", "multicluster:"];

    /// <summary>
    /// Where <paramref name="grant"/> goes beyond <paramref name="team"/>'s ceiling, each part in a sentence naming it;
    /// empty when it stays within. Clusters are judged against the fleet as it is; namespace patterns must each fall
    /// within a pattern of the ceiling, so namespaces created later stay within too.
    /// </summary>
    /// <param name="nameable">The clusters the sentences may name (those the person sees); the others are counted, not named.</param>
    public static IReadOnlyList<string> BeyondCeiling(AccessGrant grant, Team team, IReadOnlyList<ClusterFacts> clusters, Func<string, bool>? nameable = null)
    {
        var ceiling = team.Ceiling;
        var problems = new List<string>();
        if (!ceiling.Roles.Contains(grant.Role, StringComparer.Ordinal))
        {
            problems.Add($"Role '{grant.Role}' is beyond the ceiling of team {team.Name}, which allows {(ceiling.Roles.Count == 0 ? "no role" : string.Join(", ", ceiling.Roles))}.");
        }
        if (grant.ClusterWide && !ceiling.AllowClusterWide)
        {
            problems.Add($"Cluster-wide grants are beyond the ceiling of team {team.Name}.");
        }
        var outside = clusters.Where(c => grant.Scope.SelectsCluster(c) && !ceiling.Scope.SelectsCluster(c)).Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        if (outside.Count > 0)
        {
            var named = outside.Where(nameable ?? (_ => true)).ToList();
            var hidden = outside.Count - named.Count;
            var which = string.Join(", ", named.Append(hidden == 0 ? null : $"{hidden} {(named.Count > 0 ? "other " : "")}cluster{(hidden == 1 ? "" : "s")} you do not see").OfType<string>());
            problems.Add($"{(named.Count == 0 ? "" : $"Cluster{(outside.Count == 1 ? "" : "s")} ")}{which} {(outside.Count == 1 ? "is" : "are")} beyond the ceiling of team {team.Name} ({ceiling.Scope.ClustersText}).");
        }
        if (!grant.ClusterWide)
        {
            var patterns = grant.NamespacePatterns.Count == 0 ? ["*"] : grant.NamespacePatterns;
            var beyond = patterns.Where(p => !ceiling.NamespacePatterns.Any(c => TargetScope.Glob(c, p))).ToList();
            if (beyond.Count > 0)
            {
                problems.Add($"Namespaces {string.Join(", ", beyond)} are beyond the ceiling of team {team.Name} ({(ceiling.NamespacePatterns.Count == 0 ? "no namespace" : string.Join(", ", ceiling.NamespacePatterns))}).");
            }
        }
        return problems;
    }

    private static bool IsName(string name, int max) => DnsLabels.IsValid(name, max);
}
