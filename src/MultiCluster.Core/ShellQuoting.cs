using System.Text;

namespace MultiCluster.Core;

/// <summary>
/// Quoting for command lines the dashboard shows for copying into a terminal. Names in them come from clusters,
/// and a cluster can send any text as a name it does not validate (an event's involved object, an owner
/// reference), so each value must reach the program as exactly the one argument it was, with nothing expanded or run.
/// </summary>
public static class ShellQuoting
{
    /// <summary>
    /// <paramref name="value"/> as one word for a POSIX shell (bash, zsh, dash, ksh). A value made only of ASCII
    /// letters, digits and <c>-_./:=,@+</c> stays bare, so Kubernetes names read as written; anything else is
    /// single-quoted, where nothing is special. A quote or a backslash is written outside the quotes
    /// (<c>'\''</c>, <c>'\\'</c>), since fish reads both as escapes even inside single quotes. Control characters
    /// go in <c>$'\ooo'</c> instead of raw: pasted raw, a Ctrl-C or an escape sequence reaches the terminal as a
    /// keystroke and can end the line early. A leading <c>=</c> is quoted (zsh expands <c>=cmd</c> to a path).
    /// </summary>
    /// <exception cref="ArgumentException">The value holds a NUL character, which no program argument can.</exception>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A command-line argument cannot hold a NUL character.", nameof(value));
        }
        if (value.Length == 0)
        {
            return "''";
        }
        if (value[0] != '=' && value.All(IsBare))
        {
            return value;
        }
        var quoted = new StringBuilder(value.Length + 8);
        var open = Segment.None;
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is '\'' or '\\')
            {
                Switch(Segment.None);
                quoted.Append('\\').Append((char)rune.Value);
            }
            else if (Rune.IsControl(rune))
            {
                Switch(Segment.AnsiC);
                AppendEscaped(quoted, rune);
            }
            else
            {
                Switch(Segment.Single);
                quoted.Append(rune.ToString());
            }
        }
        Switch(Segment.None);
        return quoted.ToString();

        void Switch(Segment to)
        {
            if (open == to)
            {
                return;
            }
            if (open != Segment.None)
            {
                quoted.Append('\'');
            }
            quoted.Append(to switch { Segment.Single => "'", Segment.AnsiC => "$'", _ => "" });
            open = to;
        }
    }

    /// <summary>The command line that runs <paramref name="words"/>, each one argument.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    private static bool IsBare(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',' or '@' or '+';

    private static void AppendEscaped(StringBuilder quoted, Rune rune)
    {
        switch (rune.Value)
        {
            case '\n': quoted.Append(@"\n"); break;
            case '\t': quoted.Append(@"\t"); break;
            case '\r': quoted.Append(@"\r"); break;
            default:
                // Octal bytes of the UTF-8 encoding (C1 controls are two bytes), whatever the shell's locale.
                Span<byte> bytes = stackalloc byte[4];
                foreach (var b in bytes[..rune.EncodeToUtf8(bytes)])
                {
                    quoted.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                }
                break;
        }
    }

    private enum Segment
    {
        None,
        Single,
        AnsiC,
    }
}
