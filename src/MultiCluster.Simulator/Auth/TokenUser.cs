using System.Text;

namespace MultiCluster.Simulator.Auth;

/// <summary>A bearer token and the user it authenticates as: one line of kube-apiserver's --token-auth-file.</summary>
public sealed record TokenUser(string Token, string Name, string Uid = "", IReadOnlyList<string>? Groups = null);

/// <summary>
/// Reads a static token file as kube-apiserver's --token-auth-file does: CSV lines <c>token,user,uid,"group1,group2"</c>
/// (the groups column is optional; blank lines are skipped).
/// </summary>
public static class TokenFile
{
    public static IReadOnlyList<TokenUser> Read(string path) => Parse(File.ReadAllText(path), path);

    public static IReadOnlyList<TokenUser> Parse(string csv, string source = "token file")
    {
        var users = new List<TokenUser>();
        var line = 0;
        foreach (var record in Records(csv))
        {
            line++;
            if (record is [""])
            {
                continue;
            }
            if (record.Count < 3)
            {
                throw new FormatException($"token file '{source}' must have at least 3 columns (token, user name, user uid), found {record.Count} on line {line}");
            }
            if (record[0].Length == 0)
            {
                throw new FormatException($"token file '{source}': empty token on line {line}");
            }
            var groups = record.Count > 3 && record[3].Length > 0 ? record[3].Split(',').Select(g => g.Trim()).ToList() : [];
            users.Add(new TokenUser(record[0], record[1], record[2], groups));
        }
        return users;
    }

    /// <summary>RFC 4180 records with Go's encoding/csv leniency: leading spaces trimmed, quotes around a field, "" inside quotes.</summary>
    private static IEnumerable<List<string>> Records(string csv)
    {
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var atFieldStart = true;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when atFieldStart:
                    quoted = true;
                    atFieldStart = false;
                    break;
                case ' ' or '\t' when atFieldStart:
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    record.Add(field.ToString());
                    yield return record;
                    record = [];
                    field.Clear();
                    atFieldStart = true;
                    break;
                default:
                    field.Append(c);
                    atFieldStart = false;
                    break;
            }
        }
        if (record.Count > 0 || field.Length > 0)
        {
            record.Add(field.ToString());
            yield return record;
        }
    }
}
