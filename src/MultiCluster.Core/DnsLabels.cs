using System.Text.RegularExpressions;

namespace MultiCluster.Core;

/// <summary>Kubernetes' DNS label rule (RFC 1123): lower-case letters, digits and '-', starting and ending with a letter or digit.</summary>
public static partial class DnsLabels
{
    public static bool IsValid(string? name, int maxLength = 63) => !string.IsNullOrWhiteSpace(name) && name.Length <= maxLength && DnsLabel().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();
}
