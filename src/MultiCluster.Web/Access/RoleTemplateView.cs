using MultiCluster.Core.Access;

namespace MultiCluster.Web.Access;

/// <summary>One role template in the Templates list: its rules in one line each, its aggregation labels, and the grants that use it.</summary>
public sealed record TemplateRow(RoleTemplate Template, IReadOnlyList<string> Rules, string Labels, IReadOnlyList<string> Grants);

/// <summary>The Templates tab's projections, in words, kept out of the components.</summary>
public static class RoleTemplateView
{
    public static IReadOnlyList<TemplateRow> Rows(IEnumerable<RoleTemplate> templates, IEnumerable<AccessGrant> grants)
    {
        var users = grants.GroupBy(g => g.Role, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Name).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        return [.. templates.OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new TemplateRow(t, [.. t.Rules.Select(RuleText)], LabelsText(t.AggregationLabels), users.GetValueOrDefault(t.Name) ?? []))];
    }

    /// <summary>"get, list on pods, pods/log in the core group", "* on deployments in groups apps, extensions named api".</summary>
    public static string RuleText(AccessRule rule)
    {
        var groups = rule.ApiGroups.Contains("*") ? "every group"
            : rule.ApiGroups.Count == 1 && rule.ApiGroups[0] == "" ? "the core group"
            : $"group{(rule.ApiGroups.Count == 1 ? "" : "s")} {string.Join(", ", rule.ApiGroups.Select(g => g.Length == 0 ? "core" : g))}";
        var names = rule.ResourceNames.Count == 0 ? "" : $" named {string.Join(", ", rule.ResourceNames)}";
        return $"{string.Join(", ", rule.Verbs)} on {string.Join(", ", rule.Resources)} in {groups}{names}";
    }

    public static string LabelsText(IReadOnlyDictionary<string, string> labels) =>
        string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>
    /// What is said before a template is deleted. One that grants use is not deleted (the registry refuses it), so the sentence
    /// names them and says what to do instead; null when it may go.
    /// </summary>
    public static string? DeleteRefusal(TemplateRow row) =>
        row.Grants.Count == 0 ? null
            : $"Role template {row.Template.Name} is used by {Quotas.QuotaPolicyView.Plural(row.Grants.Count, "grant")} ({string.Join(", ", row.Grants)}), "
              + "so it cannot be deleted: change their role or delete them first.";

    public static string DeleteQuestion(RoleTemplate template) =>
        $"Deletes role template {template.Name}. No grant uses it, so its ClusterRole {template.ObjectName} is in no cluster and nothing changes there.";
}
