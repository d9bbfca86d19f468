using System.Collections.Concurrent;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>
/// Shares one instance of strings that repeat across many summaries (namespaces, node names, phases, label
/// keys and values), and one list of the label sets that repeat (the pods of one ReplicaSet or DaemonSet carry
/// the same labels), which is much of what keeps a pod summary at a few hundred bytes.
/// </summary>
public sealed class StringPool(int capacity = 200_000)
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<LabelSet, KeyValuePair<string, string>[]> _labelSets = new();

    public string? Share(string? value) => value is null ? null : Pooled(_strings, value, value);

    /// <summary>
    /// The labels as a list of shared strings, the same list for every summary whose labels are the same, in the
    /// same order (the order the object gave them, which objects made from one template share).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Share(IDictionary<string, string>? labels)
    {
        if (labels is null or { Count: 0 })
        {
            return [];
        }
        var list = new KeyValuePair<string, string>[labels.Count];
        var i = 0;
        foreach (var (key, value) in labels)
        {
            list[i++] = new(Share(key)!, Share(value)!);
        }
        return Pooled(_labelSets, new LabelSet(list), list);
    }

    /// <summary>
    /// The pool's value for <paramref name="key"/>, or <paramref name="value"/>, kept as it. Past capacity the pool stops
    /// growing rather than holding every one-off value forever.
    /// </summary>
    private TValue Pooled<TKey, TValue>(ConcurrentDictionary<TKey, TValue> pool, TKey key, TValue value) where TKey : notnull =>
        pool.TryGetValue(key, out var shared) ? shared : pool.Count < capacity ? pool.GetOrAdd(key, value) : value;

    /// <summary>A label list compared by its keys and values, in order.</summary>
    private readonly struct LabelSet(KeyValuePair<string, string>[] labels) : IEquatable<LabelSet>
    {
        private readonly KeyValuePair<string, string>[] _labels = labels;

        public bool Equals(LabelSet other)
        {
            if (_labels.Length != other._labels.Length)
            {
                return false;
            }
            for (var i = 0; i < _labels.Length; i++)
            {
                if (!string.Equals(_labels[i].Key, other._labels[i].Key, StringComparison.Ordinal)
                    || !string.Equals(_labels[i].Value, other._labels[i].Value, StringComparison.Ordinal))
                {
                    return false;
                }
            }
            return true;
        }

        public override bool Equals(object? obj) => obj is LabelSet other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var (key, value) in _labels)
            {
                hash.Add(key, StringComparer.Ordinal);
                hash.Add(value, StringComparer.Ordinal);
            }
            return hash.ToHashCode();
        }
    }
}
