namespace MultiCluster.Simulator.Store;

/// <summary>
/// The bounded window of recent changes a watch can resume from, like etcd's compaction window:
/// older than the window, a watch gets 410 Expired and must relist.
/// </summary>
public sealed class EventHistory(int capacity, TimeSpan window)
{
    private readonly WatchEvent?[] _ring = new WatchEvent?[capacity];
    private int _start;
    private int _count;

    /// <summary>The newest resourceVersion no longer in the window; a watch from below it is expired.</summary>
    public long CompactedRevision { get; private set; }

    public void Append(WatchEvent change)
    {
        if (_count == _ring.Length)
        {
            Evict();
        }
        _ring[(_start + _count) % _ring.Length] = change;
        _count++;
    }

    public void Trim(DateTimeOffset now)
    {
        while (_count > 0 && now - _ring[_start]!.Time > window)
        {
            Evict();
        }
    }

    /// <summary>Marks everything up to <paramref name="revision"/> as compacted (a fault: the next watches expire).</summary>
    public void CompactTo(long revision)
    {
        while (_count > 0 && _ring[_start]!.Object.ResourceVersion <= revision)
        {
            Evict();
        }
        CompactedRevision = Math.Max(CompactedRevision, revision);
    }

    public IEnumerable<WatchEvent> Since(long resourceVersion, ResourceType type)
    {
        for (var i = 0; i < _count; i++)
        {
            var change = _ring[(_start + i) % _ring.Length]!;
            if (change.Object.ResourceVersion > resourceVersion && change.Object.Type == type)
            {
                yield return change;
            }
        }
    }

    private void Evict()
    {
        CompactedRevision = _ring[_start]!.Object.ResourceVersion;
        _ring[_start] = null;
        _start = (_start + 1) % _ring.Length;
        _count--;
    }
}
