using System.Text;

namespace MultiCluster.Deploy.Tests;

/// <summary>
/// An nginx configuration read as nginx reads it: directives of words ending in <c>;</c> or a <c>{ … }</c> block, quoted
/// words, <c>#</c> comments to the end of the line.
/// </summary>
public sealed record NginxDirective(string Name, IReadOnlyList<string> Arguments, IReadOnlyList<NginxDirective> Block)
{
    public static IReadOnlyList<NginxDirective> Parse(string text)
    {
        var words = Words(text);
        var position = 0;
        var directives = ParseBlock(words, ref position);
        if (position != words.Count)
        {
            throw new FormatException("An unbalanced '}' in the nginx configuration.");
        }
        return directives;
    }

    /// <summary>The directives of this block (or of the given list) with this name.</summary>
    public IEnumerable<NginxDirective> All(string name) => Block.Where(d => d.Name == name);

    private static List<NginxDirective> ParseBlock(List<(string Text, bool Quoted)> words, ref int position)
    {
        var directives = new List<NginxDirective>();
        var current = new List<string>();
        while (position < words.Count)
        {
            var (word, quoted) = words[position++];
            if (!quoted && word == ";")
            {
                directives.Add(new NginxDirective(current[0], current[1..], []));
                current = [];
            }
            else if (!quoted && word == "{")
            {
                var block = ParseBlock(words, ref position);
                if (position > words.Count || words[position - 1].Text != "}")
                {
                    throw new FormatException($"The block of '{string.Join(' ', current)}' is never closed.");
                }
                directives.Add(new NginxDirective(current[0], current[1..], block));
                current = [];
            }
            else if (!quoted && word == "}")
            {
                if (current.Count > 0)
                {
                    throw new FormatException($"'{string.Join(' ', current)}' has no ';'.");
                }
                return directives;
            }
            else
            {
                current.Add(word);
            }
        }
        if (current.Count > 0)
        {
            throw new FormatException($"'{string.Join(' ', current)}' has no ';'.");
        }
        return directives;
    }

    private static List<(string Text, bool Quoted)> Words(string text)
    {
        var words = new List<(string, bool)>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c is ';' or '{' or '}')
            {
                words.Add((c.ToString(), false));
                i++;
            }
            else if (c is '"' or '\'')
            {
                var word = new StringBuilder();
                for (i++; i < text.Length && text[i] != c; i++)
                {
                    word.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
                }
                if (i >= text.Length)
                {
                    throw new FormatException("A quoted word that is never closed.");
                }
                i++;
                words.Add((word.ToString(), true));
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (';' or '{' or '}'))
                {
                    i++;
                }
                words.Add((text[start..i], false));
            }
        }
        return words;
    }
}
