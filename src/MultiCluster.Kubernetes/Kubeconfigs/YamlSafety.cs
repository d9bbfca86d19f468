using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MultiCluster.Kubernetes.Kubeconfigs;

/// <summary>
/// Checks a YAML text with the streaming parser before anything builds a tree from it: one document,
/// bounded nesting, no anchors or aliases (which make "billion laughs" documents). kubectl never writes them.
/// </summary>
internal static partial class YamlSafety
{
    public const int MaxDepth = 32;

    /// <summary>Returns null when the text is safe to load, otherwise the problem with its line and column.</summary>
    public static string? Check(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var documents = 0;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                switch (current)
                {
                    case DocumentStart:
                        if (++documents > 1)
                        {
                            return $"{At(current.Start)}the kubeconfig holds more than one YAML document; give one.";
                        }
                        break;
                    case AnchorAlias:
                        return $"{At(current.Start)}YAML aliases (*name) are not accepted in a kubeconfig.";
                    case NodeEvent node when !node.Anchor.IsEmpty:
                        return $"{At(current.Start)}YAML anchors (&name) are not accepted in a kubeconfig.";
                }
                if (current is MappingStart or SequenceStart && ++depth > MaxDepth)
                {
                    return $"{At(current.Start)}the YAML is nested more than {MaxDepth} levels deep, which no kubeconfig is.";
                }
                if (current is MappingEnd or SequenceEnd)
                {
                    depth--;
                }
            }
        }
        catch (YamlException ex)
        {
            return Describe(ex);
        }
        return null;
    }

    public static string Describe(YamlException ex)
    {
        var problem = Lower(PositionPrefix().Replace(ex.Message, "")).TrimEnd();
        return $"The kubeconfig is not valid YAML: {At(ex.End)}{problem}{(problem.EndsWith('.') ? "" : ".")}";
    }

    public static string At(Mark mark) => $"line {mark.Line}, column {mark.Column}: ";

    private static string Lower(string message) =>
        message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex PositionPrefix();
}
