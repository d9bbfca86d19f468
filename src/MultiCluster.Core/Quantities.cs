using System.Globalization;

namespace MultiCluster.Core;

/// <summary>Kubernetes resource quantities ("250m", "1.5", "128Mi", "2G", "1e3") as numbers.</summary>
public static class Quantities
{
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

    public static long Millis(string? text) => (long)Math.Ceiling(Parse(text) * 1000);

    public static long Whole(string? text) => (long)Math.Ceiling(Parse(text));

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
