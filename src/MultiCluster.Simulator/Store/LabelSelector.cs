using System.Text.Json.Nodes;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>A parsed label selector: equality (=, ==, !=) and set-based (in, notin, exists, !exists) requirements.</summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static readonly LabelSelector Everything = new();

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>Whether every requirement holds. A loop, not a lambda over the list: that would allocate a closure per call, and
    /// every list, watch and controller lookup with a selector calls this once per object.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement(labels))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A metav1.LabelSelector object (matchLabels and matchExpressions); a missing one selects nothing, {} everything.</summary>
    public static LabelSelector FromObject(JsonNode? selector)
    {
        var parsed = new LabelSelector();
        if (selector is not JsonObject fields)
        {
            parsed._requirements.Add(_ => false);
            return parsed;
        }
        foreach (var (key, value) in fields["matchLabels"] as JsonObject ?? [])
        {
            var expected = value?.ToString() ?? "";
            parsed._requirements.Add(labels => labels.TryGetValue(key, out var v) && v == expected);
        }
        foreach (var expression in (fields["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = (string?)expression["key"] ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.ToString() ?? "").ToHashSet(StringComparer.Ordinal);
            parsed._requirements.Add((string?)expression["operator"] switch
            {
                "In" => labels => labels.TryGetValue(key, out var v) && values.Contains(v),
                "NotIn" => labels => !labels.TryGetValue(key, out var v) || !values.Contains(v),
                "Exists" => labels => labels.ContainsKey(key),
                "DoesNotExist" => labels => !labels.ContainsKey(key),
                var op => throw ApiException.BadRequest($"{op} is not a valid label selector operator"),
            });
        }
        return parsed;
    }

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                throw ApiException.BadRequest($"unable to parse requirement: found '', expected: identifier in \"{text}\"");
            }
            selector._requirements.Add(ParseRequirement(part, text));
        }
        return selector;
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part, string text)
    {
        if (part.StartsWith('!'))
        {
            var key = RequireKey(part[1..].Trim(), text);
            return labels => !labels.ContainsKey(key);
        }
        var setMatch = System.Text.RegularExpressions.Regex.Match(part, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
        if (setMatch.Success)
        {
            var key = RequireKey(setMatch.Groups[1].Value, text);
            var values = setMatch.Groups[3].Value.Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
            return setMatch.Groups[2].Value == "in"
                ? labels => labels.TryGetValue(key, out var v) && values.Contains(v)
                : labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var index = part.IndexOf(op, StringComparison.Ordinal);
            if (index > 0)
            {
                var key = RequireKey(part[..index].Trim(), text);
                var value = part[(index + op.Length)..].Trim();
                return op == "!="
                    ? labels => !labels.TryGetValue(key, out var v) || v != value
                    : labels => labels.TryGetValue(key, out var v) && v == value;
            }
        }
        var existsKey = RequireKey(part, text);
        return labels => labels.ContainsKey(existsKey);
    }

    private static string RequireKey(string key, string text)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ',' or '=' or '!'))
        {
            throw ApiException.BadRequest($"unable to parse requirement: invalid label key \"{key}\" in \"{text}\"");
        }
        return key;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }
}
