using System.Text;
using System.Text.RegularExpressions;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Web.Quotas;

/// <summary>
/// The ResourceQuota and LimitRange a policy writes into each namespace it reaches, as YAML, so an editor sees what
/// <c>kubectl get -o yaml</c> would show. Built from the planner's own objects (<see cref="QuotaPlanner.ObjectsOf"/>),
/// so the page shows exactly what the engine writes; the generation annotation is left out (it changes on save).
/// </summary>
public static partial class QuotaYaml
{
    public static string Of(QuotaPolicy policy)
    {
        var yaml = new StringBuilder();
        foreach (var managed in QuotaPlanner.ObjectsOf(policy, cluster: "", ns: ""))
        {
            if (yaml.Length > 0)
            {
                yaml.Append("---\n");
            }
            yaml.Append("apiVersion: v1\n").Append("kind: ").Append(managed.Kind).Append('\n');
            yaml.Append("metadata:\n").Append("  name: ").Append(Scalar(managed.Name)).Append('\n').Append("  labels:\n");
            foreach (var (key, value) in managed.Labels)
            {
                yaml.Append("    ").Append(Scalar(key)).Append(": ").Append(Scalar(value)).Append('\n');
            }
            yaml.Append("spec:\n");
            if (managed.Kind == QuotaFields.ResourceQuota)
            {
                Quota(yaml, managed.Fields);
            }
            else
            {
                Limits(yaml, managed.Fields);
            }
        }
        return yaml.ToString();
    }

    private static void Quota(StringBuilder yaml, IReadOnlyDictionary<string, string> fields)
    {
        yaml.Append("  hard:\n");
        foreach (var (resource, quantity) in QuotaFields.Hard(fields).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            yaml.Append("    ").Append(Scalar(resource)).Append(": ").Append(Scalar(quantity)).Append('\n');
        }
        if (QuotaFields.Scopes(fields) is { Count: > 0 } scopes)
        {
            yaml.Append("  scopes:\n");
            foreach (var scope in scopes)
            {
                yaml.Append("  - ").Append(Scalar(scope)).Append('\n');
            }
        }
    }

    private static void Limits(StringBuilder yaml, IReadOnlyDictionary<string, string> fields)
    {
        yaml.Append("  limits:\n");
        foreach (var item in QuotaFields.Limits(fields))
        {
            yaml.Append("  - type: ").Append(Scalar(item.Type)).Append('\n');
            foreach (var (field, values) in item.Fields.Where(f => f.Values.Count > 0))
            {
                yaml.Append("    ").Append(field).Append(":\n");
                foreach (var (resource, quantity) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    yaml.Append("      ").Append(Scalar(resource)).Append(": ").Append(Scalar(quantity)).Append('\n');
                }
            }
        }
    }

    /// <summary>
    /// A string as a YAML scalar: plain when YAML would read it back as the same string, double-quoted otherwise
    /// (<c>"20"</c> is a quantity, 20 would be a number; <c>"yes"</c> would be a boolean to YAML 1.1 readers).
    /// </summary>
    public static string Scalar(string value) =>
        SafePlain().IsMatch(value) && !NotAString().IsMatch(value)
            ? value
            : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePlain();

    // Numbers in any YAML notation, and the words YAML 1.1 and 1.2 read as booleans or null.
    [GeneratedRegex(@"^([-+]?(\d[\d_]*\.?[\d_]*|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|\.(inf|Inf|INF|nan|NaN|NAN)|(?i:true|false|yes|no|y|n|on|off|null))$", RegexOptions.CultureInvariant)]
    private static partial Regex NotAString();
}
