using System.Text;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>A parsed field selector (=, ==, != on the fields a kind indexes).</summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> _requirements = [];

    public static readonly FieldSelector Everything = new();

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>Whether every requirement holds; a loop, as <see cref="LabelSelector.Matches"/> is.</summary>
    public bool Matches(StoredObject obj)
    {
        foreach (var (field, value, equal) in _requirements)
        {
            if ((FieldIndex.Get(obj, field) == value) != equal)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The namespace a metadata.namespace= requirement pins, to narrow an all-namespaces list.</summary>
    public string? Namespace => _requirements.FirstOrDefault(r => r.Field == "metadata.namespace" && r.Equal).Value;

    /// <summary>
    /// Parses as apimachinery's fields.ParseSelector does: terms split at commas a backslash does not escape,
    /// each at its first operator, values unescaped (<c>\\</c>, <c>\,</c>, <c>\=</c>), no trimming.
    /// </summary>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrEmpty(text))
        {
            return selector;
        }
        foreach (var part in SplitTerms(text).Where(p => p.Length > 0))
        {
            var (field, op, value) = SplitTerm(part) ?? throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            if (!FieldIndex.Supports(type, field))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }
            selector._requirements.Add((field, Unescape(value), op != "!="));
        }
        return selector;
    }

    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var start = 0;
        var escaped = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (escaped)
            {
                escaped = false;
            }
            else if (text[i] == '\\')
            {
                escaped = true;
            }
            else if (text[i] == ',')
            {
                terms.Add(text[start..i]);
                start = i + 1;
            }
        }
        terms.Add(text[start..]);
        return terms;
    }

    private static (string Field, string Op, string Value)? SplitTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            foreach (var op in (string[])["!=", "==", "="])
            {
                if (term.AsSpan(i).StartsWith(op, StringComparison.Ordinal))
                {
                    return (term[..i], op, term[(i + op.Length)..]);
                }
            }
        }
        return null;
    }

    private static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        var escaped = false;
        foreach (var c in value)
        {
            if (escaped)
            {
                if (c is not ('\\' or ',' or '='))
                {
                    throw ApiException.BadRequest($"invalid field selector: invalid escape sequence: \\{c}");
                }
                result.Append(c);
                escaped = false;
            }
            else if (c == '\\')
            {
                escaped = true;
            }
            else if (c is ',' or '=')
            {
                // Go prints the rune with %v, as its number.
                throw ApiException.BadRequest($"invalid field selector: unescaped character in value: {(int)c}");
            }
            else
            {
                result.Append(c);
            }
        }
        return escaped ? throw ApiException.BadRequest("invalid field selector: invalid escape sequence: \\") : result.ToString();
    }
}
