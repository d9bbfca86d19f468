using System.Text.RegularExpressions;

namespace MultiCluster.Core;

/// <summary>
/// A cluster's registry name. It appears in routes (<c>/clusters/{cluster}</c>), kubeconfig context
/// names and labels, so it follows the Kubernetes DNS label rules (RFC 1123): lower-case letters,
/// digits and '-', starting and ending with an alphanumeric, at most 63 characters.
/// </summary>
public static partial class ClusterName
{
    public const int MaxLength = 63;

    /// <summary>Returns null when <paramref name="name"/> is valid, otherwise what is wrong in plain words.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "A cluster name is required.";
        }
        if (name.Length > MaxLength)
        {
            return $"A cluster name is at most {MaxLength} characters; '{name}' has {name.Length}.";
        }
        if (!DnsLabels.IsValid(name))
        {
            return $"'{name}' is not a valid cluster name: use lower-case letters, digits and '-', starting and ending with a letter or digit (for example 'prod-eu-1').";
        }
        return null;
    }

    public static bool IsValid(string? name) => Validate(name) is null;

    /// <summary>A valid name derived from a kubeconfig context name (<c>arn:aws:eks:…:cluster/prod</c> → <c>arn-aws-eks-…-cluster-prod</c>).</summary>
    public static string Suggest(string contextName)
    {
        var lowered = NotAllowed().Replace(contextName.ToLowerInvariant(), "-");
        var collapsed = Dashes().Replace(lowered, "-").Trim('-');
        if (collapsed.Length > MaxLength)
        {
            collapsed = collapsed[^MaxLength..].Trim('-');
        }
        return collapsed.Length == 0 ? "cluster" : collapsed;
    }

    [GeneratedRegex("[^a-z0-9-]", RegexOptions.CultureInvariant)]
    private static partial Regex NotAllowed();

    [GeneratedRegex("-{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Dashes();

}
