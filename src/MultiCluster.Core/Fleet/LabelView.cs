using System.Diagnostics.CodeAnalysis;

namespace MultiCluster.Core.Fleet;

/// <summary>
/// A summary's few labels read as a dictionary for <see cref="LabelSelector"/>, without building one: a query over
/// 450,000 pods would otherwise build 450,000 dictionaries.
/// </summary>
public sealed class LabelView(IReadOnlyList<KeyValuePair<string, string>> labels) : IReadOnlyDictionary<string, string>
{
    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => labels.Select(l => l.Key);

    public IEnumerable<string> Values => labels.Select(l => l.Value);

    public int Count => labels.Count;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        foreach (var label in labels)
        {
            if (string.Equals(label.Key, key, StringComparison.Ordinal))
            {
                value = label.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => labels.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
