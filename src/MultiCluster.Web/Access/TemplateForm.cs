using MultiCluster.Core;
using MultiCluster.Core.Access;

namespace MultiCluster.Web.Access;

/// <summary>
/// The role template editor's state: rules as rows of text (nothing is parsed until the template is built; a row left blank
/// is left out), the aggregation labels as <c>key=value</c> text. <see cref="Problems"/> says, as the registry would, what stops the save.
/// </summary>
public sealed class TemplateForm
{
    private TemplateForm(long? generation) => Generation = generation;

    /// <summary>The generation the editor started from (sent with the save); null for a new template.</summary>
    public long? Generation { get; }

    public bool IsNew => Generation is null;

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public List<RuleRow> Rules { get; } = [];

    /// <summary><c>rbac.authorization.k8s.io/aggregate-to-view=true</c>, separated by commas or new lines.</summary>
    public string? AggregationLabels { get; set; }

    /// <summary>A template with one empty rule to type into.</summary>
    public static TemplateForm Create()
    {
        var form = new TemplateForm(null);
        form.Rules.Add(new RuleRow());
        return form;
    }

    public static TemplateForm Edit(RoleTemplate template)
    {
        var form = new TemplateForm(template.Generation)
        {
            Name = template.Name, Description = template.Description, AggregationLabels = RoleTemplateView.LabelsText(template.AggregationLabels),
        };
        form.Rules.AddRange(template.Rules.Select(RuleRow.Of));
        return form;
    }

    public RoleTemplate ToTemplate() => new()
    {
        Name = Name.Trim(),
        Description = GrantForm.Blank(Description),
        Rules = [.. Rules.Where(r => !r.IsBlank).Select(r => r.ToRule())],
        AggregationLabels = ClusterLabels.Parse(AggregationLabels).Labels,
        Generation = Generation ?? 1,
    };

    /// <summary>What stops the save: labels that do not read, then what the registry would refuse.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ClusterLabels.Parse(AggregationLabels).Error is { } labels)
        {
            problems.Add($"Aggregation labels: {labels}");
        }
        problems.AddRange(AccessValidation.Validate(ToTemplate()));
        return problems;
    }
}

/// <summary>
/// One rule of the template editor, each list as text separated by commas or spaces. The API groups' blank (or <c>core</c>)
/// is the core group, where pods and services live.
/// </summary>
public sealed class RuleRow
{
    public string? ApiGroups { get; set; }

    public string? Resources { get; set; }

    public string? Verbs { get; set; }

    public string? ResourceNames { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(ApiGroups) && string.IsNullOrWhiteSpace(Resources) && string.IsNullOrWhiteSpace(Verbs) && string.IsNullOrWhiteSpace(ResourceNames);

    public static RuleRow Of(AccessRule rule) => new()
    {
        ApiGroups = string.Join(", ", rule.ApiGroups.Select(g => g.Length == 0 ? "core" : g)),
        Resources = string.Join(", ", rule.Resources),
        Verbs = string.Join(", ", rule.Verbs),
        ResourceNames = string.Join(", ", rule.ResourceNames),
    };

    public AccessRule ToRule()
    {
        var groups = GrantForm.Words(ApiGroups).Select(g => g is "core" or "\"\"" ? "" : g).Distinct(StringComparer.Ordinal).ToList();
        return new AccessRule
        {
            ApiGroups = groups.Count == 0 ? [""] : groups,
            Resources = GrantForm.Words(Resources),
            Verbs = GrantForm.Words(Verbs),
            ResourceNames = GrantForm.Words(ResourceNames),
        };
    }
}
