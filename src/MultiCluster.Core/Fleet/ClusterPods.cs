using System.Text;

namespace MultiCluster.Core.Fleet;

/// <summary>
/// One cluster's pods in the <see cref="PodIndex"/>, with their names side by side (lower case, one line each), so a
/// name search reads a few contiguous kilobytes per cluster instead of visiting every pod and its name string: over
/// 450,000 pods that pass was tens of milliseconds of cache misses, run again at each live refresh of a searching tab.
/// The lines are kept in chunks of at most 64 KB, below the large object heap, whose garbage only full collections
/// return. A pod whose name is not printable ASCII without capitals (no valid Kubernetes name, but a cluster may send
/// anything), or is longer than a chunk, is kept aside and searched the plain way. Not thread-safe: the index's lock guards it.
/// </summary>
internal sealed class ClusterPods
{
    /// <summary>A chunk's most bytes; a line's place is its chunk times this plus where it starts in it.</summary>
    internal const int ChunkBytes = 64 * 1024;

    private const byte LineEnd = (byte)'\n';

    /// <summary>Each pod and its line (−1 for the pods kept aside).</summary>
    private readonly Dictionary<PodSummary, int> _lines = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<PodSummary> _aside = new(ReferenceEqualityComparer.Instance);
    private readonly List<byte[]> _chunks = [];
    private readonly List<int> _chunkLengths = [];
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
        var line = Append(pod.Name.Length + 1);
        var (chunk, at) = (_chunks[^1], _chunkLengths[^1] - pod.Name.Length - 1);
        Encoding.ASCII.GetBytes(pod.Name, chunk.AsSpan(at));
        chunk[at + pod.Name.Length] = LineEnd;
        _pods[line] = pod;
        _lines.Add(pod, line);
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

    /// <summary>A pod changed, its name did not: it keeps its line (most changes are of status, not of the set of pods). False when the old one is not here.</summary>
    public bool Replace(PodSummary old, PodSummary current)
    {
        if (_lines.ContainsKey(current) || !_lines.Remove(old, out var line))
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
    /// <paramref name="lowered"/> is the search as lower-case printable ASCII, or null when it is not (then every pod is read the plain way).
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
        for (var c = 0; c < _chunks.Count; c++)
        {
            var text = _chunks[c].AsSpan(0, _chunkLengths[c]);
            var at = 0;
            while (at < text.Length)
            {
                var hit = text[at..].IndexOf(lowered);
                if (hit < 0)
                {
                    break;
                }
                // The line the hit is on; a search has no line end, so a hit never runs into the next line.
                var line = Array.BinarySearch(_starts, 0, _used, (c * ChunkBytes) + at + hit);
                line = line >= 0 ? line : ~line - 1;
                if (_pods[line] is { } pod)
                {
                    found[count++] = pod;
                }
                // On with the next line, unless it begins the next chunk.
                if (line + 1 >= _used || _starts[line + 1] >= (c + 1) * ChunkBytes)
                {
                    break;
                }
                at = _starts[line + 1] - (c * ChunkBytes);
            }
        }
        foreach (var pod in _aside)
        {
            if (pod.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            {
                found[count++] = pod;
            }
        }
    }

    /// <summary>The search as lower-case ASCII bytes, or null when a name must be read the plain way to answer it (not printable ASCII).</summary>
    public static byte[]? Lowered(string search)
    {
        if (search.Length == 0 || !Plain(search, allowCapitals: true))
        {
            return null;
        }
        var bytes = new byte[search.Length];
        Ascii.ToLower(search, bytes, out _);
        return bytes;
    }

    /// <summary>Printable ASCII without capitals, shorter than a chunk: the name's bytes are its lower case, and a line end is not among them.</summary>
    private static bool Plain(string name, bool allowCapitals = false)
    {
        if (name.Length >= ChunkBytes)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (c is < ' ' or > '~' || (!allowCapitals && c is >= 'A' and <= 'Z'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Room for a line of <paramref name="bytes"/> at the end of the last chunk (a new chunk when it does not fit); returns the line's number.</summary>
    private int Append(int bytes)
    {
        if (_chunks.Count == 0 || _chunkLengths[^1] + bytes > ChunkBytes)
        {
            _chunks.Add(new byte[Math.Max(256, bytes)]);
            _chunkLengths.Add(0);
        }
        var last = _chunks.Count - 1;
        if (_chunkLengths[last] + bytes > _chunks[last].Length)
        {
            var chunk = _chunks[last];
            Array.Resize(ref chunk, Math.Min(ChunkBytes, Math.Max(_chunkLengths[last] + bytes, chunk.Length * 2)));
            _chunks[last] = chunk;
        }
        if (_used == _starts.Length)
        {
            var size = Math.Max(16, _used + (_used / 2));
            Array.Resize(ref _starts, size);
            Array.Resize(ref _pods, size);
        }
        _starts[_used] = (last * ChunkBytes) + _chunkLengths[last];
        _chunkLengths[last] += bytes;
        return _used++;
    }

    /// <summary>A line's bytes, its line end included.</summary>
    private ReadOnlySpan<byte> LineOf(int line)
    {
        var (chunk, at) = (_starts[line] / ChunkBytes, _starts[line] % ChunkBytes);
        var end = line + 1 < _used && _starts[line + 1] / ChunkBytes == chunk ? _starts[line + 1] % ChunkBytes : _chunkLengths[chunk];
        return _chunks[chunk].AsSpan(at, end - at);
    }

    /// <summary>Drops the lines of pods gone once they are half of all, keeping the others in their order.</summary>
    private void Compact()
    {
        var live = new List<(PodSummary Pod, byte[] Bytes)>(_used - _dead);
        for (var line = 0; line < _used; line++)
        {
            if (_pods[line] is { } pod)
            {
                live.Add((pod, LineOf(line).ToArray()));
            }
        }
        _chunks.Clear();
        _chunkLengths.Clear();
        Array.Clear(_pods, 0, _used);
        (_used, _dead) = (0, 0);
        foreach (var (pod, bytes) in live)
        {
            var line = Append(bytes.Length);
            bytes.CopyTo(_chunks[^1].AsSpan(_chunkLengths[^1] - bytes.Length));
            _pods[line] = pod;
            _lines[pod] = line;
        }
    }
}
