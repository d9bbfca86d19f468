using System.Text;

namespace MultiCluster.Core.Fleet;

/// <summary>
/// One cluster's pods in the <see cref="PodIndex"/>, with their names side by side in one buffer (lower case, one line
/// each), so a name search reads a few contiguous kilobytes per cluster instead of visiting every pod and its name
/// string: over 450,000 pods that pass was tens of milliseconds of cache misses, run again at each live refresh of a
/// searching tab. A pod whose name is not printable ASCII without capitals (no valid Kubernetes name, but a cluster
/// may send anything) is kept aside and searched the plain way. Not thread-safe: the index's lock guards it.
/// </summary>
internal sealed class ClusterPods
{
    private const byte LineEnd = (byte)'\n';

    /// <summary>Each pod and its line (−1 for the pods kept aside).</summary>
    private readonly Dictionary<PodSummary, int> _lines = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<PodSummary> _aside = new(ReferenceEqualityComparer.Instance);
    private byte[] _text = [];
    private int _length;
    private int[] _starts = [];
    private PodSummary?[] _pods = [];
    private int _used;
    private int _dead;

    public IReadOnlyCollection<PodSummary> Pods => _lines.Keys;

    public int Count => _lines.Count;

    /// <summary>False when the pod is here already.</summary>
    public bool Add(PodSummary pod)
    {
        if (_lines.ContainsKey(pod))
        {
            return false;
        }
        if (!Plain(pod.Name))
        {
            _lines.Add(pod, -1);
            _aside.Add(pod);
            return true;
        }
        if (_used == _starts.Length)
        {
            var size = Math.Max(16, _used + _used / 2);
            Array.Resize(ref _starts, size);
            Array.Resize(ref _pods, size);
        }
        if (_length + pod.Name.Length + 1 > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_length + pod.Name.Length + 1, Math.Max(256, _text.Length + _text.Length / 2)));
        }
        _starts[_used] = _length;
        _pods[_used] = pod;
        _lines.Add(pod, _used++);
        _length += Encoding.ASCII.GetBytes(pod.Name, _text.AsSpan(_length));
        _text[_length++] = LineEnd;
        return true;
    }

    /// <summary>False when the pod is not here.</summary>
    public bool Remove(PodSummary pod)
    {
        if (!_lines.Remove(pod, out var line))
        {
            return false;
        }
        if (line < 0)
        {
            _aside.Remove(pod);
            return true;
        }
        _pods[line] = null;
        if (++_dead > 64 && _dead > _used / 2)
        {
            Compact();
        }
        return true;
    }

    /// <summary>A pod changed, its name did not: it keeps its line (most changes are of status, not of the set of pods).</summary>
    public bool Replace(PodSummary old, PodSummary current)
    {
        if (!_lines.Remove(old, out var line))
        {
            return false;
        }
        _lines.Add(current, line);
        if (line < 0)
        {
            _aside.Remove(old);
            _aside.Add(current);
        }
        else
        {
            _pods[line] = current;
        }
        return true;
    }

    /// <summary>
    /// Adds to <paramref name="found"/> each pod whose name contains <paramref name="search"/>, ignoring case:
    /// <paramref name="lowered"/> is the search as lower-case ASCII, or null when it is not ASCII (then every pod is read the plain way).
    /// </summary>
    public void Search(string search, byte[]? lowered, PodSummary[] found, ref int count)
    {
        if (lowered is null)
        {
            foreach (var pod in _lines.Keys)
            {
                if (pod.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
                {
                    found[count++] = pod;
                }
            }
            return;
        }
        var text = _text.AsSpan(0, _length);
        var at = 0;
        while (at < text.Length)
        {
            var hit = text[at..].IndexOf(lowered);
            if (hit < 0)
            {
                break;
            }
            // The line the hit is on; a search has no line end, so a hit never runs into the next line.
            var line = Array.BinarySearch(_starts, 0, _used, at + hit);
            line = line >= 0 ? line : ~line - 1;
            if (_pods[line] is { } pod)
            {
                found[count++] = pod;
            }
            at = line + 1 < _used ? _starts[line + 1] : text.Length;
        }
        foreach (var pod in _aside)
        {
            if (pod.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            {
                found[count++] = pod;
            }
        }
    }

    /// <summary>The search as lower-case ASCII bytes, or null when a name must be read the plain way to answer it.</summary>
    public static byte[]? Lowered(string search)
    {
        if (search.Length == 0 || !Ascii.IsValid(search) || search.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }
        var bytes = new byte[search.Length];
        Ascii.ToLower(search, bytes, out _);
        return bytes;
    }

    /// <summary>Printable ASCII without capitals: the name's bytes are its lower case, and a line end is not among them.</summary>
    private static bool Plain(string name)
    {
        foreach (var c in name)
        {
            if (c is < ' ' or > '~' or (>= 'A' and <= 'Z'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Drops the lines of pods gone once they are half the buffer, keeping the others in their order.</summary>
    private void Compact()
    {
        var text = new byte[Math.Max(256, _length - _length / 4)];
        var length = 0;
        var used = 0;
        for (var line = 0; line < _used; line++)
        {
            if (_pods[line] is not { } pod)
            {
                continue;
            }
            var end = line + 1 < _used ? _starts[line + 1] : _length;
            var bytes = _text.AsSpan(_starts[line], end - _starts[line]);
            if (length + bytes.Length > text.Length)
            {
                Array.Resize(ref text, Math.Max(length + bytes.Length, text.Length + text.Length / 2));
            }
            bytes.CopyTo(text.AsSpan(length));
            _starts[used] = length;
            _pods[used] = pod;
            _lines[pod] = used++;
            length += bytes.Length;
        }
        Array.Clear(_pods, used, _used - used);
        (_text, _length, _used, _dead) = (text, length, used, 0);
    }
}
