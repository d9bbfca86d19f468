using System.Globalization;
using System.Text.RegularExpressions;

namespace MultiCluster.Core;

/// <summary>Kubernetes resource quantities ("250m", "1.5", "128Mi", "2G", "1e3") as numbers.</summary>
public static partial class Quantities
{
    /// <summary>What kube-apiserver answers for a quantity outside its grammar.</summary>
    public const string GrammarMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    /// <summary>Whether <paramref name="text"/> is a quantity in Kubernetes' grammar: a signed decimal number and one suffix (binary, decimal or an exponent).</summary>
    public static bool IsValid(string? text) => text is not null && Grammar().IsMatch(text);

    /// <summary>Null for a quantity Kubernetes accepts as a limit (valid, not negative); otherwise its words.</summary>
    public static string? ValidateLimit(string? text) =>
        !IsValid(text) ? GrammarMessage : Parse(text) < 0 ? "must be greater than or equal to 0" : null;

    // The exponent form comes before the bare decimal suffixes, so that "1E3" is a thousand and "1E" an exa.
    [GeneratedRegex(@"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("P", 1e15m), ("E", 1e18m),
    ];

    /// <summary>The value in base units (cores, bytes, counts); zero for a missing or unreadable quantity.</summary>
    public static decimal Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }
        text = text.Trim();
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) &&
                decimal.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var scaled))
            {
                return scaled * factor;
            }
        }
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : 0;
    }

    /// <summary>The value in thousandths, rounded up; a value past a long's range is held at its end (as KubernetesClient caps quantities).</summary>
    public static long Millis(string? text) => Whole(Parse(text), 1000);

    /// <summary>The value in base units, rounded up; a value past a long's range is held at its end.</summary>
    public static long Whole(string? text) => Whole(Parse(text), 1);

    private static long Whole(decimal value, decimal scale) =>
        value >= long.MaxValue / scale ? long.MaxValue : value <= long.MinValue / scale ? long.MinValue : (long)Math.Ceiling(value * scale);

    /// <summary>CPU for people: "250m" below one core, "1.5" above.</summary>
    public static string FormatCpu(long millis) =>
        millis < 1000 ? $"{millis}m" : (millis / 1000m).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Memory for people, in binary units: "512Mi", "3.2Gi".</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["", "Ki", "Mi", "Gi", "Ti", "Pi"];
        decimal value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString(unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + units[unit];
    }
}
