using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiCluster.Deploy.Tests;

/// <summary>
/// Chart values as Helm holds them: YAML read into maps, lists and typed scalars (a plain <c>2</c> is a number, a plain
/// <c>true</c> a bool, a quoted <c>"3600"</c> a string), overlaid as <c>--set</c> does, and written back by <c>toYaml</c>.
/// </summary>
public static partial class ChartValues
{
    public static Dictionary<string, object?> Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }
        return stream.Documents.Count == 0 ? [] : (Dictionary<string, object?>)FromNode(stream.Documents[0].RootNode)!;
    }

    public static object? FromNode(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => FromNode(c.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(FromNode).ToList(),
        YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain => Resolve(scalar.Value ?? ""),
        YamlScalarNode scalar => scalar.Value,
        _ => throw new NotSupportedException($"A YAML node of type {node.NodeType} in the values."),
    };

    /// <summary>Maps merge key by key; anything else in <paramref name="overrides"/> replaces what was there.</summary>
    public static void Merge(Dictionary<string, object?> values, IReadOnlyDictionary<string, object?> overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is IReadOnlyDictionary<string, object?> nested && values.GetValueOrDefault(key) is Dictionary<string, object?> existing)
            {
                Merge(existing, nested);
            }
            else
            {
                values[key] = value is IReadOnlyDictionary<string, object?> map ? map.ToDictionary(StringComparer.Ordinal) : value;
            }
        }
    }

    /// <summary>Block YAML with sorted keys (as Helm's toYaml writes maps); strings always double-quoted.</summary>
    public static string ToYaml(object? value)
    {
        var output = new StringBuilder();
        switch (value)
        {
            case IDictionary<string, object?> { Count: 0 }:
                return "{}\n";
            case System.Collections.IList { Count: 0 }:
                return "[]\n";
            case IDictionary<string, object?> or System.Collections.IList:
                Write(output, value, 0);
                return output.ToString();
            default:
                return Scalar(value) + "\n";
        }
    }

    private static void Write(StringBuilder output, object? value, int indent)
    {
        var pad = new string(' ', indent);
        if (value is IDictionary<string, object?> map)
        {
            foreach (var (key, item) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                output.Append(pad).Append(Key(key)).Append(':');
                if (IsBlock(item))
                {
                    output.Append('\n');
                    Write(output, item, item is System.Collections.IList ? indent : indent + 2);
                }
                else
                {
                    output.Append(' ').Append(Inline(item)).Append('\n');
                }
            }
            return;
        }
        foreach (var item in (System.Collections.IList)value!)
        {
            if (IsBlock(item))
            {
                var nested = new StringBuilder();
                Write(nested, item, indent + 2);
                output.Append(pad).Append("- ").Append(nested.ToString(indent + 2, nested.Length - indent - 2));
            }
            else
            {
                output.Append(pad).Append("- ").Append(Inline(item)).Append('\n');
            }
        }
    }

    private static bool IsBlock(object? value) => value is IDictionary<string, object?> { Count: > 0 } or System.Collections.IList { Count: > 0 };

    private static string Inline(object? value) => value switch
    {
        IDictionary<string, object?> => "{}",
        System.Collections.IList => "[]",
        _ => Scalar(value),
    };

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => JsonSerializer.Serialize(s, Json),
        _ => throw new NotSupportedException($"A value of type {value.GetType().Name} in the values."),
    };

    private static string Key(string key) => PlainKey().IsMatch(key) && Resolve(key) is string ? key : JsonSerializer.Serialize(key, Json);

    /// <summary>A plain scalar's type by YAML's core schema, as Helm's YAML reader resolves it.</summary>
    private static object? Resolve(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ when IntegerPattern().IsMatch(text) => long.Parse(text, CultureInfo.InvariantCulture),
        _ when FloatPattern().IsMatch(text) => double.Parse(text, CultureInfo.InvariantCulture),
        _ => text,
    };

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_./-]*$")]
    private static partial Regex PlainKey();
}
