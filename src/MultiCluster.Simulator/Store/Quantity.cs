using System.Globalization;
using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>How a quantity is written, as apimachinery's resource.Format: "1k" and "1Ki" keep their families.</summary>
public enum QuantityFormat
{
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

/// <summary>
/// A Kubernetes resource quantity ("250m", "1.5", "128Mi", "2G", "1e3"): an exact value (rounded up to
/// nano units, as apimachinery does) and the format it was written in, printed in apimachinery's
/// canonical form, so "1000m" reads back as "1" and "1024Mi" as "1Gi".
/// </summary>
public readonly record struct Quantity(decimal Value, QuantityFormat Format) : IComparable<Quantity>
{
    public const string Grammar = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

    private static readonly (string Suffix, int Exponent)[] DecimalSuffixes =
        [("n", -9), ("u", -6), ("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18)];

    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    public static readonly Quantity Zero = new(0m, QuantityFormat.DecimalSI);

    public static Quantity Parse(string text) =>
        TryParse(text, out var quantity) ? quantity : throw new FormatException($"quantities must match the regular expression '{Grammar}'");

    public static bool TryParse(string? text, out Quantity quantity)
    {
        quantity = Zero;
        var span = text.AsSpan().Trim();
        var end = 0;
        while (end < span.Length && (char.IsAsciiDigit(span[end]) || span[end] is '.' || (end == 0 && span[end] is '+' or '-')))
        {
            end++;
        }
        if (!decimal.TryParse(span[..end], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        var suffix = span[end..];
        QuantityFormat format;
        decimal factor;
        if (BinaryPower(suffix) is var binary and > 0)
        {
            (format, factor) = (QuantityFormat.BinarySI, Pow(1024m, binary));
        }
        else if (DecimalExponentOf(suffix) is { } si)
        {
            (format, factor) = (QuantityFormat.DecimalSI, Pow10(si));
        }
        else if (suffix.Length > 1 && suffix[0] is 'e' or 'E' && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) && Math.Abs(exponent) <= 18)
        {
            (format, factor) = (QuantityFormat.DecimalExponent, Pow10(exponent));
        }
        else
        {
            return false;
        }
        try
        {
            // apimachinery keeps nano precision, rounding away from zero.
            var nanos = number * factor * 1_000_000_000m;
            var rounded = nanos > 0 ? decimal.Ceiling(nanos) : decimal.Floor(nanos);
            quantity = new Quantity(rounded / 1_000_000_000m, format);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static int BinaryPower(ReadOnlySpan<char> suffix)
    {
        for (var i = 1; i < BinarySuffixes.Length; i++)
        {
            if (suffix.SequenceEqual(BinarySuffixes[i]))
            {
                return i;
            }
        }
        return 0;
    }

    private static int? DecimalExponentOf(ReadOnlySpan<char> suffix)
    {
        foreach (var (name, exponent) in DecimalSuffixes)
        {
            if (suffix.SequenceEqual(name))
            {
                return exponent;
            }
        }
        return null;
    }

    /// <summary>The quantity a JSON field holds (a string, or a bare number), or null when it is absent or not a quantity.</summary>
    public static Quantity? From(JsonNode? node) =>
        node is JsonValue value && TryParse(value.ToString(), out var quantity) ? quantity : null;

    /// <summary>The value as a plain number (cores, bytes, counts), 0 when absent: for the scheduler's arithmetic.</summary>
    public static double Number(JsonNode? node) => (double)(From(node)?.Value ?? 0m);

    public bool IsZero => Value == 0m;

    /// <summary>Sums keep the format of the first non-zero operand, as Quantity.Add does.</summary>
    public static Quantity operator +(Quantity a, Quantity b) => new(a.Value + b.Value, a.IsZero ? b.Format : a.Format);

    public static Quantity operator -(Quantity a, Quantity b) => new(a.Value - b.Value, a.IsZero ? b.Format : a.Format);

    public static bool operator >(Quantity a, Quantity b) => a.Value > b.Value;

    public static bool operator <(Quantity a, Quantity b) => a.Value < b.Value;

    public static bool operator >=(Quantity a, Quantity b) => a.Value >= b.Value;

    public static bool operator <=(Quantity a, Quantity b) => a.Value <= b.Value;

    public int CompareTo(Quantity other) => Value.CompareTo(other.Value);

    /// <summary>The value in thousandths, rounded up, as Quantity.MilliValue (what LimitRanger compares).</summary>
    public long MilliValue => (long)decimal.Ceiling(Value * 1000m);

    /// <summary>apimachinery's canonical form (Quantity.String()).</summary>
    public override string ToString()
    {
        if (Value == 0m)
        {
            return "0";
        }
        var format = Format;
        if (format == QuantityFormat.BinarySI && (Math.Abs(Value) < 1024m || decimal.Truncate(Value) != Value))
        {
            format = QuantityFormat.DecimalSI;
        }
        if (format == QuantityFormat.BinarySI)
        {
            var amount = Value;
            var power = 0;
            while (power < BinarySuffixes.Length - 1 && amount % 1024m == 0m)
            {
                amount /= 1024m;
                power++;
            }
            return amount.ToString("0", CultureInfo.InvariantCulture) + BinarySuffixes[power];
        }
        var (mantissa, exponent) = (Value, 0);
        while (decimal.Truncate(mantissa) != mantissa)
        {
            mantissa *= 10m;
            exponent--;
        }
        while (mantissa % 10m == 0m)
        {
            mantissa /= 10m;
            exponent++;
        }
        var shift = ((exponent % 3) + 3) % 3;
        mantissa *= Pow10(shift);
        exponent -= shift;
        var number = mantissa.ToString("0", CultureInfo.InvariantCulture);
        if (format == QuantityFormat.DecimalExponent)
        {
            return exponent == 0 ? number : $"{number}e{exponent.ToString(CultureInfo.InvariantCulture)}";
        }
        var si = DecimalSuffixes.FirstOrDefault(s => s.Exponent == exponent);
        return si.Suffix is not null ? number + si.Suffix : $"{number}e{exponent.ToString(CultureInfo.InvariantCulture)}";
    }

    private static decimal Pow10(int exponent) => exponent >= 0 ? Pow(10m, exponent) : 1m / Pow(10m, -exponent);

    private static decimal Pow(decimal value, int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= value;
        }
        return result;
    }
}
