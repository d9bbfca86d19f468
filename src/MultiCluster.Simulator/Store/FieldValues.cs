using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// The field-selector values of one object version: one slot per field its kind supports (absent fields are null),
/// in place of a dictionary per version.
/// </summary>
internal sealed class FieldValues(string[] names, string?[] values) : IReadOnlyDictionary<string, string>
{
    public static readonly FieldValues Empty = new([], []);

    public string?[] Values => values;

    public int Count => values.Count(v => v is not null);

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => this.Select(p => p.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = Array.IndexOf(names, key);
        value = index < 0 ? null : values[index];
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (values[i] is { } value)
            {
                yield return new(names[i], value);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
