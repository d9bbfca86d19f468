namespace MultiCluster.Core;

/// <summary>
/// A Kubernetes-style label selector over cluster labels: <c>env=prod</c>, <c>tier!=edge</c>, <c>team</c>,
/// <c>!canary</c>, <c>region in (eu-west, eu-central)</c>, <c>provider notin (kind)</c>; requirements are ANDed.
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    /// <summary>Returns the selector, or the problem in plain words.</summary>
    public static (LabelSelector Selector, string? Error) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (Everything, null);
        }
        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var part in SplitTopLevel(text))
        {
            var (requirement, error) = ParseRequirement(part.Trim());
            if (error is not null)
            {
                return (Everything, error);
            }
            requirements.Add(requirement!);
        }
        return (new LabelSelector(requirements), null);
    }

    private static (Func<IReadOnlyDictionary<string, string>, bool>? Requirement, string? Error) ParseRequirement(string part)
    {
        if (part.Length == 0)
        {
            return (null, "The label selector has an empty requirement (two commas in a row?).");
        }
        var words = part.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 2 && (words[1].StartsWith("in ", StringComparison.Ordinal) || words[1].StartsWith("in(", StringComparison.Ordinal)
            || words[1].StartsWith("notin ", StringComparison.Ordinal) || words[1].StartsWith("notin(", StringComparison.Ordinal)))
        {
            var negate = words[1].StartsWith("notin", StringComparison.Ordinal);
            var list = words[1][(negate ? 5 : 2)..].Trim();
            if (!list.StartsWith('(') || !list.EndsWith(')'))
            {
                return (null, $"'{part}': write the values in parentheses, e.g. region in (eu-west, eu-central).");
            }
            var values = list[1..^1].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            var key = words[0];
            return KeyProblem(key, part) is { } problem
                ? (null, problem)
                : (labels => labels.TryGetValue(key, out var v) ? values.Contains(v) != negate : negate, null);
        }
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }
            var key = part[..at].Trim();
            var value = part[(at + op.Length)..].Trim();
            if ((KeyProblem(key, part) ?? ClusterLabels.ValidateValue(key, value)) is { } problem)
            {
                return (null, problem);
            }
            return op == "!="
                ? (labels => !labels.TryGetValue(key, out var v) || v != value, null)
                : (labels => labels.TryGetValue(key, out var v) && v == value, null);
        }
        if (part.StartsWith('!'))
        {
            var key = part[1..].Trim();
            return KeyProblem(key, part) is { } problem ? (null, problem) : (labels => !labels.ContainsKey(key), null);
        }
        return KeyProblem(part, part) is { } existsProblem ? (null, existsProblem) : (labels => labels.ContainsKey(part), null);
    }

    private static string? KeyProblem(string key, string part) =>
        ClusterLabels.ValidateKey(key) is { } problem ? $"'{part}' is not a label requirement: {problem}" : null;

    /// <summary>Splits on commas that are not inside parentheses.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }
}
