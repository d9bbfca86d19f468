using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MultiCluster.Deploy.Tests;

/// <summary>
/// Renders the chart's templates as <c>helm template</c> would, for exactly the Go-template constructs the chart uses
/// (helm is not installable from Debian's packages here): text with <c>{{- … -}}</c> trimming, comments, <c>define</c>,
/// <c>if</c>/<c>else</c>/<c>end</c>, fields of <c>.Values</c>, <c>.Release</c> and <c>.Chart</c>, string and number literals,
/// pipelines into <c>include</c>, <c>default</c>, <c>quote</c>, <c>toYaml</c>, <c>indent</c> and <c>nindent</c>. Anything
/// else (<c>range</c>, <c>with</c>, variables, other functions) and any field the values do not have is refused with
/// its place, so a template that needs more fails here instead of being rendered wrongly.
/// </summary>
public sealed partial class ChartTemplates
{
    private readonly Dictionary<string, List<Node>> _defines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Node>> _templates = new(StringComparer.Ordinal);

    public ChartTemplates(string chartDirectory)
    {
        ChartDirectory = chartDirectory;
        foreach (var path in Directory.GetFiles(Path.Combine(chartDirectory, "templates")).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var nodes = Parse(name, File.ReadAllText(path));
            if (name.EndsWith(".yaml", StringComparison.Ordinal) && !name.StartsWith('_'))
            {
                _templates[name] = nodes;
            }
        }
    }

    public string ChartDirectory { get; }

    /// <summary>
    /// Each manifest template rendered with the chart's values.yaml overlaid by <paramref name="overrides"/> (as
    /// <c>--set</c> would: maps merge, anything else replaces), like <c>helm template RELEASE -n NAMESPACE</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Render(string release, string ns, IReadOnlyDictionary<string, object?>? overrides = null)
    {
        var values = ChartValues.Load(Path.Combine(ChartDirectory, "values.yaml"));
        if (overrides is not null)
        {
            ChartValues.Merge(values, overrides);
        }
        var chart = ChartValues.Load(Path.Combine(ChartDirectory, "Chart.yaml"));
        var root = new Dictionary<string, object?>
        {
            ["Values"] = values,
            ["Release"] = new Dictionary<string, object?> { ["Name"] = release, ["Namespace"] = ns, ["Service"] = "Helm" },
            ["Chart"] = new Dictionary<string, object?> { ["Name"] = chart["name"], ["Version"] = chart["version"], ["AppVersion"] = chart["appVersion"] },
        };
        return _templates.ToDictionary(t => t.Key, t => Execute(t.Value, root));
    }

    /// <summary>Every rendered manifest as one multi-document YAML stream, empty templates left out.</summary>
    public string RenderStream(string release, string ns, IReadOnlyDictionary<string, object?>? overrides = null) =>
        string.Join("\n", Render(release, ns, overrides).Where(t => t.Value.Trim().Length > 0).Select(t => $"---\n# Source: multicluster/templates/{t.Key}\n{t.Value.Trim('\n')}\n"));

    private abstract record Node(string Place);
    private sealed record TextNode(string Place, string Text) : Node(Place);
    private sealed record PrintNode(string Place, string Pipeline) : Node(Place);
    private sealed record IfNode(string Place, string Condition, List<Node> Then, List<Node> Else) : Node(Place);

    private List<Node> Parse(string file, string text)
    {
        var tokens = Tokenize(file, text);
        var position = 0;
        var nodes = ParseList(file, tokens, ref position, out var stop);
        if (stop is not null)
        {
            throw new FormatException($"{stop.Place}: '{stop.Text}' without an opening action.");
        }
        return nodes;
    }

    private List<Node> ParseList(string file, List<Token> tokens, ref int position, out Token? stop)
    {
        var nodes = new List<Node>();
        while (position < tokens.Count)
        {
            var token = tokens[position++];
            if (!token.IsAction)
            {
                nodes.Add(new TextNode(token.Place, token.Text));
                continue;
            }
            var action = token.Text;
            if (action is "end" or "else")
            {
                stop = token;
                return nodes;
            }
            if (action.StartsWith("/*", StringComparison.Ordinal) && action.EndsWith("*/", StringComparison.Ordinal))
            {
                continue;
            }
            if (DefineAction().Match(action) is { Success: true } define)
            {
                var body = ParseList(file, tokens, ref position, out var end);
                Expect(end, "end", token);
                _defines[define.Groups[1].Value] = body;
                continue;
            }
            if (action.StartsWith("if ", StringComparison.Ordinal))
            {
                var then = ParseList(file, tokens, ref position, out var end);
                var otherwise = new List<Node>();
                if (end?.Text == "else")
                {
                    otherwise = ParseList(file, tokens, ref position, out end);
                }
                Expect(end, "end", token);
                nodes.Add(new IfNode(token.Place, action[3..].Trim(), then, otherwise));
                continue;
            }
            if (UnsupportedAction().IsMatch(action))
            {
                throw new NotSupportedException($"{token.Place}: '{action}' is not a construct this renderer knows; teach it, or keep the chart simpler.");
            }
            nodes.Add(new PrintNode(token.Place, action));
        }
        stop = null;
        return nodes;
    }

    private static void Expect(Token? end, string keyword, Token opening)
    {
        if (end?.Text != keyword)
        {
            throw new FormatException($"{opening.Place}: '{opening.Text}' has no '{keyword}'.");
        }
    }

    private sealed record Token(string Place, string Text, bool IsAction);

    /// <summary>Text and actions; <c>{{- </c> trims the whitespace before, <c> -}}</c> the whitespace after, as in Go.</summary>
    private static List<Token> Tokenize(string file, string text)
    {
        var tokens = new List<Token>();
        var at = 0;
        var trimNext = false;
        while (at < text.Length)
        {
            var open = text.IndexOf("{{", at, StringComparison.Ordinal);
            var chunk = open < 0 ? text[at..] : text[at..open];
            if (trimNext)
            {
                chunk = chunk.TrimStart();
            }
            if (open < 0)
            {
                tokens.Add(new Token(Place(file, text, at), chunk, false));
                break;
            }
            var close = text.IndexOf("}}", open, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"{Place(file, text, open)}: an action that is never closed.");
            }
            var inner = text[(open + 2)..close];
            if (inner.StartsWith("- ", StringComparison.Ordinal) || inner.StartsWith("-\n", StringComparison.Ordinal))
            {
                chunk = chunk.TrimEnd();
                inner = inner[1..];
            }
            trimNext = inner.EndsWith(" -", StringComparison.Ordinal) || inner.EndsWith("\n-", StringComparison.Ordinal);
            if (trimNext)
            {
                inner = inner[..^1];
            }
            tokens.Add(new Token(Place(file, text, at), chunk, false));
            tokens.Add(new Token(Place(file, text, open), inner.Trim(), true));
            at = close + 2;
        }
        return tokens;
    }

    private static string Place(string file, string text, int index) => $"{file}:{text.AsSpan(0, index).Count('\n') + 1}";

    private string Execute(List<Node> nodes, object? data)
    {
        var output = new StringBuilder();
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode t:
                    output.Append(t.Text);
                    break;
                case PrintNode p:
                    output.Append(Print(Evaluate(p.Pipeline, data, p.Place), p.Place));
                    break;
                case IfNode i:
                    output.Append(Execute(Truthy(Evaluate(i.Condition, data, i.Place)) ? i.Then : i.Else, data));
                    break;
            }
        }
        return output.ToString();
    }

    /// <summary>A pipeline: the first command's value is passed as the last argument of each next one.</summary>
    private object? Evaluate(string pipeline, object? data, string place)
    {
        object? value = null;
        var first = true;
        foreach (var command in SplitPipeline(pipeline))
        {
            var words = Words(command, place);
            if (words.Count == 0)
            {
                throw new FormatException($"{place}: an empty command in '{pipeline}'.");
            }
            if (words[0].StartsWith('.') || words[0].StartsWith('"') || char.IsDigit(words[0][0]))
            {
                if (!first || words.Count != 1)
                {
                    throw new NotSupportedException($"{place}: '{command}' is not a function call.");
                }
                value = Term(words[0], data, place);
            }
            else
            {
                var arguments = words.Skip(1).Select(w => Term(w, data, place)).ToList();
                if (!first)
                {
                    arguments.Add(value);
                }
                value = Call(words[0], arguments, data, place);
            }
            first = false;
        }
        return value;
    }

    private object? Call(string function, List<object?> arguments, object? data, string place)
    {
        object? Argument(int index) => index < arguments.Count ? arguments[index]
            : throw new FormatException($"{place}: {function} needs {index + 1} arguments.");
        switch (function)
        {
            case "include":
                var name = Argument(0) as string ?? throw new FormatException($"{place}: include needs a template name.");
                return Execute(_defines.TryGetValue(name, out var body) ? body : throw new KeyNotFoundException($"{place}: no template named '{name}'."), Argument(1));
            case "default":
                return arguments.Count == 2 && Truthy(arguments[1]) ? arguments[1] : Argument(0);
            case "quote":
                // Sprig's quote: each non-nil argument as Go's %q, joined by spaces.
                return string.Join(' ', arguments.Where(a => a is not null).Select(a => GoQuote(Print(a, place))));
            case "toYaml":
                return ChartValues.ToYaml(Argument(0)).TrimEnd('\n');
            case "indent":
                return Indent(Convert.ToInt32(Argument(0), CultureInfo.InvariantCulture), Print(Argument(1), place));
            case "nindent":
                return "\n" + Indent(Convert.ToInt32(Argument(0), CultureInfo.InvariantCulture), Print(Argument(1), place));
            default:
                throw new NotSupportedException($"{place}: the function '{function}' is not one this renderer knows.");
        }
    }

    private static object? Term(string word, object? data, string place)
    {
        if (word.StartsWith('"'))
        {
            return Regex.Unescape(word[1..^1]);
        }
        if (char.IsDigit(word[0]))
        {
            return long.Parse(word, CultureInfo.InvariantCulture);
        }
        if (word == ".")
        {
            return data;
        }
        var value = data;
        foreach (var field in word[1..].Split('.'))
        {
            value = value is IDictionary<string, object?> map && map.TryGetValue(field, out var next)
                ? next
                : throw new KeyNotFoundException($"{place}: '{word}' names a field the values do not have ('{field}').");
        }
        return value;
    }

    /// <summary>Go templates' truth: false, 0, nil and empty strings, maps and lists are false.</summary>
    private static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long n => n != 0,
        double d => d != 0,
        string s => s.Length > 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    private static string Print(object? value, string place) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"{place}: a map or list is printed only through toYaml."),
    };

    private static string Indent(int spaces, string text)
    {
        var pad = new string(' ', spaces);
        return pad + text.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static string GoQuote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }

    private static IEnumerable<string> SplitPipeline(string pipeline)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < pipeline.Length; i++)
        {
            if (pipeline[i] == '"' && (i == 0 || pipeline[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (pipeline[i] == '|' && !quoted)
            {
                yield return pipeline[start..i].Trim();
                start = i + 1;
            }
        }
        yield return pipeline[start..].Trim();
    }

    private static List<string> Words(string command, string place)
    {
        var words = WordPattern().Matches(command).Select(m => m.Value).ToList();
        if (string.Concat(words).Length != command.Replace(" ", "", StringComparison.Ordinal).Length)
        {
            throw new NotSupportedException($"{place}: '{command}' has words this renderer does not read.");
        }
        return words;
    }

    [GeneratedRegex("^define \"([^\"]+)\"$")]
    private static partial Regex DefineAction();

    [GeneratedRegex(@"^(range|with|template|block|else if|break|continue)\b|\$|:=|\(")]
    private static partial Regex UnsupportedAction();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|[^\s""]+")]
    private static partial Regex WordPattern();
}
