using System.Text.RegularExpressions;

namespace MultiCluster.Core;

/// <summary>
/// Labels on a registered cluster (<c>env=prod</c>, <c>region=eu-west</c>), validated with the same
/// rules Kubernetes applies to object labels so that they can be used in selectors later.
/// </summary>
public static partial class ClusterLabels
{
    private const int MaxNameLength = 63;
    private const int MaxPrefixLength = 253;
    private const int MaxValueLength = 63;

    /// <summary>
    /// Parses <c>key=value</c> pairs separated by commas or new lines. Returns the labels, or the
    /// first problem found in plain words.
    /// </summary>
    public static (IReadOnlyDictionary<string, string> Labels, string? Error) Parse(string? text)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (labels, null);
        }
        foreach (var raw in text.Split([',', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = raw.IndexOf('=', StringComparison.Ordinal);
            if (separator < 0)
            {
                return (labels, $"'{raw}' is not a label: write it as key=value.");
            }
            var key = raw[..separator].Trim();
            var value = raw[(separator + 1)..].Trim();
            if (ValidateKey(key) is { } keyError)
            {
                return (labels, keyError);
            }
            if (ValidateValue(key, value) is { } valueError)
            {
                return (labels, valueError);
            }
            if (!labels.TryAdd(key, value))
            {
                return (labels, $"The label '{key}' is given twice.");
            }
        }
        return (labels, null);
    }

    public static string Format(IReadOnlyDictionary<string, string> labels) =>
        string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    public static string? ValidateKey(string key)
    {
        if (key.Length == 0)
        {
            return "A label key is required.";
        }
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > MaxPrefixLength || !DnsSubdomain().IsMatch(prefix))
            {
                return $"The label key prefix '{prefix}' must be a DNS subdomain such as 'example.com'.";
            }
        }
        if (name.Length == 0 || name.Length > MaxNameLength || !QualifiedName().IsMatch(name))
        {
            return $"The label key '{key}' must be at most {MaxNameLength} letters, digits, '-', '_' or '.', starting and ending with a letter or digit.";
        }
        return null;
    }

    public static string? ValidateValue(string key, string value)
    {
        if (value.Length > MaxValueLength || (value.Length > 0 && !QualifiedName().IsMatch(value)))
        {
            return $"The value of label '{key}' must be at most {MaxValueLength} letters, digits, '-', '_' or '.', starting and ending with a letter or digit.";
        }
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsSubdomain();
}
