using YamlDotNet.RepresentationModel;

namespace MultiCluster.Kubernetes.Kubeconfigs;

/// <summary>A kubeconfig whose shape is wrong; the message names the place (line, column) and the fix.</summary>
internal sealed class KubeconfigFormatException(string message) : Exception(message);

/// <summary>Typed reads from a YAML tree with messages that say where and what was expected.</summary>
internal static class YamlNodes
{
    public static YamlNode? Get(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static bool Has(this YamlMappingNode map, string key) => map.Get(key) is not null;

    public static string? String(this YamlMappingNode map, string key, string owner)
    {
        var node = map.Get(key);
        return node switch
        {
            null => null,
            YamlScalarNode scalar when IsNull(scalar) => null,
            YamlScalarNode scalar => scalar.Value,
            _ => throw Wrong(node, $"{key} of {owner} must be a string, not {Describe(node)}."),
        };
    }

    public static bool Bool(this YamlMappingNode map, string key, string owner) =>
        map.String(key, owner) switch
        {
            null => false,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            var other => throw Wrong(map.Get(key)!, $"{key} of {owner} must be true or false, not '{other}'."),
        };

    public static YamlMappingNode? Mapping(this YamlMappingNode map, string key, string owner)
    {
        var node = map.Get(key);
        return node switch
        {
            null => null,
            YamlScalarNode scalar when IsNull(scalar) => null,
            YamlMappingNode mapping => mapping,
            _ => throw Wrong(node, $"{key} of {owner} must be a mapping, not {Describe(node)}."),
        };
    }

    public static IEnumerable<YamlMappingNode> ListOfMappings(this YamlMappingNode map, string key)
    {
        var node = map.Get(key);
        switch (node)
        {
            case null:
                yield break;
            case YamlScalarNode scalar when IsNull(scalar):
                yield break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    yield return item as YamlMappingNode
                        ?? throw Wrong(item, $"each entry of {key} must be a mapping with a name, not {Describe(item)}.");
                }
                break;
            default:
                throw Wrong(node, $"{key} must be a list, not {Describe(node)}.");
        }
    }

    public static string At(YamlNode node) => $"line {node.Start.Line}, column {node.Start.Column}: ";

    public static KubeconfigFormatException Wrong(YamlNode node, string message) => new($"{Capitalized(At(node))}{message}");

    public static string Capitalized(string text) => text.Length > 0 ? char.ToUpperInvariant(text[0]) + text[1..] : text;

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode scalar => $"'{Truncate(scalar.Value ?? "")}'",
        _ => "something else",
    };

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
