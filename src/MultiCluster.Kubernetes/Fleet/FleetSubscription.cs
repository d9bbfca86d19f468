using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MultiCluster.Core.Fleet;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>
/// One subscriber's view of the store: the <see cref="Snapshot"/> taken when it subscribed, then batches.
/// Changes to the same object between two batches are coalesced to the last one. At most one batch waits
/// unread: while it does, later changes go on coalescing, so a slow subscriber gets fewer, larger batches
/// and never more than one change per object. Only when what it missed outgrows a snapshot of its kinds
/// (deletes of objects created and gone meanwhile pile up) does it get a snapshot batch
/// (<see cref="FleetBatch.IsSnapshot"/>) instead.
/// </summary>
public sealed class FleetSubscription : IDisposable
{
    private readonly FleetStateStore _store;
    private readonly Channel<FleetBatch> _batches;
    private readonly int _backlog;
    private readonly Lock _flushing = new();

    // Batches up to this size reuse the same table; a larger one (a subscriber that was far behind) is let go, so
    // a long-lived subscriber does not keep, and clear under the store's lock, a table the size of the fleet.
    private const int KeptTableSize = 4_096;

    // Guarded by the store's lock.
    private Dictionary<(FleetKind, string, string), int> _positions = [];
    private List<FleetChange> _pending = [];
    private bool _needsResync;

    private int _disposed;

    internal FleetSubscription(FleetStateStore store, FleetFilter filter, int backlog, bool snapshots)
    {
        _store = store;
        Filter = filter;
        TakesSnapshots = snapshots;
        _backlog = backlog;
        _batches = Channel.CreateUnbounded<FleetBatch>(new UnboundedChannelOptions { SingleWriter = true });
    }

    public FleetFilter Filter { get; }

    /// <summary>
    /// False for a page that re-reads the store when told something changed: its snapshots, the first and any resync,
    /// are empty snapshot batches, so nothing copies the fleet for it.
    /// </summary>
    public bool TakesSnapshots { get; }

    public FleetBatch Snapshot { get; internal set; } = new(true, []);

    /// <summary>How many times this subscriber fell behind and was sent a fresh snapshot.</summary>
    public int Resyncs { get; private set; }

    public async IAsyncEnumerable<FleetBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _batches.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_batches.Reader.TryRead(out var batch))
            {
                yield return batch;
            }
        }
    }

    /// <summary>Called under the store's lock for every change.</summary>
    internal void EnqueueLocked(FleetChange change)
    {
        if (_needsResync || !Filter.Matches(change.Kind, change.Cluster))
        {
            return;
        }
        var key = (change.Kind, change.Cluster, change.Key);
        if (_positions.TryGetValue(key, out var position))
        {
            // Keep the position of the first change; the last state wins.
            _pending[position] = change;
        }
        else
        {
            _positions[key] = _pending.Count;
            _pending.Add(change);
        }
    }

    /// <summary>Called under the store's lock: hands over the pending changes, or null when a resync is due instead.</summary>
    internal List<FleetChange>? TakePendingLocked()
    {
        if (_needsResync)
        {
            return null;
        }
        var pending = _pending;
        _pending = new List<FleetChange>(Math.Min(pending.Count, KeptTableSize));
        ClearPositions();
        return pending;
    }

    private void ClearPositions()
    {
        if (_positions.Count > KeptTableSize)
        {
            _positions = [];
        }
        else
        {
            _positions.Clear();
        }
    }

    /// <summary>Called under the store's lock when a fresh snapshot is taken for this subscriber.</summary>
    internal void ResetLocked(bool needsResync)
    {
        _pending = [];
        ClearPositions();
        _needsResync = needsResync;
    }

    internal void Flush()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }
        lock (_flushing)
        {
            if (_batches.Reader.Count > 0)
            {
                // The reader has not taken the last batch yet: leave the changes pending, where they coalesce.
                _store.ResyncIfOutgrown(this, _backlog);
                return;
            }
            var batch = _store.TakePending(this);
            if (batch is null)
            {
                Resyncs++;
                _batches.Writer.TryWrite(_store.Resync(this));
                return;
            }
            if (batch.Count > 0)
            {
                _batches.Writer.TryWrite(new FleetBatch(false, batch));
            }
        }
    }

    /// <summary>Called under the store's lock: how many changes wait for this subscriber (none while a resync is due).</summary>
    internal int PendingCountLocked => _pending.Count;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _store.Unsubscribe(this);
            _batches.Writer.TryComplete();
        }
    }
}
