namespace MultiCluster.Simulator.Store;

/// <summary>
/// One copy of each short string that repeats across objects and versions (namespaces, label keys and values,
/// field values such as a node name or a phase). Bounded: once full it starts over, so strings that never repeat
/// cannot make it grow without end. Not thread-safe; the store uses it under its lock.
/// </summary>
internal sealed class StringPool(int capacity = 65_536)
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

    public string Intern(string value)
    {
        if (_strings.TryGetValue(value, out var existing))
        {
            return existing;
        }
        if (_strings.Count >= capacity)
        {
            _strings.Clear();
        }
        _strings.Add(value);
        return value;
    }
}
