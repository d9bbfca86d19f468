using System.Text.Json;

namespace MultiCluster.Core.Access;

/// <summary>One subject of a binding: <c>Group</c> or <c>User</c> and its name.</summary>
public sealed record BindingSubject(string Kind, string Name)
{
    public override string ToString() => $"{Kind}:{Name}";
}

/// <summary>
/// How RoleBindings, ClusterRoleBindings and ClusterRoles are flattened into the engine's owned fields
/// (<c>roleRef.name</c>, <c>subjects</c>, <c>rules</c>, <c>labels.&lt;key&gt;</c>) and read back: one layout for what the
/// planner wants and what the clusters hold. Subjects and rules are kept whole, in a canonical order, so a subject
/// added behind the dashboard's back is drift like one taken away.
/// </summary>
public static class RbacFields
{
    public const string RoleBinding = "RoleBinding";
    public const string ClusterRoleBinding = "ClusterRoleBinding";
    public const string ClusterRole = "ClusterRole";
    public const string Role = "Role";

    private const string RoleRefKind = "roleRef.kind";
    private const string RoleRefName = "roleRef.name";
    private const string SubjectsPath = "subjects";
    private const string RulesPath = "rules";
    private const string LabelsPrefix = "labels.";

    public static SortedDictionary<string, string> OfBinding(string clusterRole, IEnumerable<BindingSubject> subjects) => OfBinding(ClusterRole, clusterRole, subjects);

    /// <param name="roleKind">What the binding refers to: a ClusterRole, or (bindings not ours) a Role of its namespace.</param>
    public static SortedDictionary<string, string> OfBinding(string roleKind, string role, IEnumerable<BindingSubject> subjects) => new(StringComparer.Ordinal)
    {
        [RoleRefKind] = roleKind,
        [RoleRefName] = role,
        [SubjectsPath] = JsonSerializer.Serialize(subjects.Select(s => s.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
    };

    public static (string Kind, string Name) RoleRef(IReadOnlyDictionary<string, string> fields) =>
        (fields.GetValueOrDefault(RoleRefKind) ?? ClusterRole, fields.GetValueOrDefault(RoleRefName) ?? "");

    public static IReadOnlyList<BindingSubject> Subjects(IReadOnlyDictionary<string, string> fields) =>
        fields.TryGetValue(SubjectsPath, out var json)
            ? [.. (JsonSerializer.Deserialize<string[]>(json) ?? []).Select(s => s.Split(':', 2)).Select(p => new BindingSubject(p[0], p.Length > 1 ? p[1] : ""))]
            : [];

    /// <summary>A ClusterRole's (or Role's) rules and the labels it is written with besides ours (aggregation labels).</summary>
    public static SortedDictionary<string, string> OfClusterRole(IEnumerable<AccessRule> rules, IReadOnlyDictionary<string, string> labels)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [RulesPath] = JsonSerializer.Serialize(rules.OrderBy(r => r.Canonical, StringComparer.Ordinal).Select(Normal)),
        };
        foreach (var (key, value) in labels)
        {
            fields[LabelsPrefix + key] = value;
        }
        return fields;
    }

    public static IReadOnlyList<AccessRule> Rules(IReadOnlyDictionary<string, string> fields) =>
        fields.TryGetValue(RulesPath, out var json) ? JsonSerializer.Deserialize<AccessRule[]>(json) ?? [] : [];

    /// <summary>The labels the fields ask for (aggregation labels of a ClusterRole).</summary>
    public static IReadOnlyDictionary<string, string> Labels(IReadOnlyDictionary<string, string> fields) =>
        fields.Where(f => f.Key.StartsWith(LabelsPrefix, StringComparison.Ordinal)).ToDictionary(f => f.Key[LabelsPrefix.Length..], f => f.Value, StringComparer.Ordinal);

    /// <summary>A rule with its lists in order, so two spellings of one rule compare equal.</summary>
    private static AccessRule Normal(AccessRule rule) => new()
    {
        ApiGroups = [.. rule.ApiGroups.Order(StringComparer.Ordinal)],
        Resources = [.. rule.Resources.Order(StringComparer.Ordinal)],
        Verbs = [.. rule.Verbs.Order(StringComparer.Ordinal)],
        ResourceNames = [.. rule.ResourceNames.Order(StringComparer.Ordinal)],
    };
}
