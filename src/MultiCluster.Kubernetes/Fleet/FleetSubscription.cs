using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MultiCluster.Core.Fleet;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>
/// One subscriber's view of the store: the <see cref="Snapshot"/> taken when it subscribed, then batches.
/// Changes to the same object between two batches are coalesced to the last one. A subscriber that leaves
/// too many batches unread gets a snapshot batch (<see cref="FleetBatch.IsSnapshot"/>) once it reads again.
/// </summary>
public sealed class FleetSubscription : IDisposable
{
    private readonly FleetStateStore _store;
    private readonly Channel<FleetBatch> _batches;
    private readonly int _backlog;
    private readonly Lock _flushing = new();

    // Guarded by the store's lock.
    private Dictionary<(FleetKind, string, string), int> _positions = [];
    private List<FleetChange> _pending = [];
    private bool _needsResync;

    private int _disposed;

    internal FleetSubscription(FleetStateStore store, FleetFilter filter, int backlog)
    {
        _store = store;
        Filter = filter;
        _backlog = backlog;
        _batches = Channel.CreateUnbounded<FleetBatch>(new UnboundedChannelOptions { SingleWriter = true });
    }

    public FleetFilter Filter { get; }

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
        _pending = [];
        _positions = [];
        return pending;
    }

    /// <summary>Called under the store's lock when a fresh snapshot is taken for this subscriber.</summary>
    internal void ResetLocked(bool needsResync)
    {
        _pending = [];
        _positions = [];
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
            var batch = _store.TakePending(this);
            if (batch is null)
            {
                if (_batches.Reader.Count == 0)
                {
                    Resyncs++;
                    _batches.Writer.TryWrite(_store.Resync(this));
                }
                return;
            }
            if (batch.Count == 0)
            {
                return;
            }
            if (_batches.Reader.Count >= _backlog)
            {
                // Too far behind: drop the backlog and send a fresh snapshot once the reader has caught up.
                while (_batches.Reader.TryRead(out _))
                {
                }
                _store.MarkForResync(this);
                return;
            }
            _batches.Writer.TryWrite(new FleetBatch(false, batch));
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _store.Unsubscribe(this);
            _batches.Writer.TryComplete();
        }
    }
}
