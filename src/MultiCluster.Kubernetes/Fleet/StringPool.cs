using System.Collections.Concurrent;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>
/// Shares one instance of strings that repeat across many summaries (namespaces, node names, phases, label
/// keys and values), which is much of what keeps a pod summary at a few hundred bytes.
/// </summary>
public sealed class StringPool(int capacity = 200_000)
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string? Share(string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (_strings.TryGetValue(value, out var shared))
        {
            return shared;
        }
        // Past capacity the pool stops growing rather than holding every one-off string forever.
        return _strings.Count < capacity ? _strings.GetOrAdd(value, value) : value;
    }
}
