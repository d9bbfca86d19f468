namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// The engine's work queue, in the shape of client-go's: a change only enqueues a key; a key waiting is never added
/// twice; one worker holds a key at a time (a key added while it is being worked on runs again once, after); a key
/// that failed comes back after a per-key exponential backoff (or the server's Retry-After) until it succeeds.
/// Time comes from <see cref="TimeProvider"/>, so backoff is tested without waiting.
/// </summary>
public sealed class ReconcileQueue<TKey> : IDisposable where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Queue<TKey> _ready = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly List<ITimer> _timers = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TimeProvider _time;
    private readonly TimeSpan _initialBackoff;
    private readonly TimeSpan _maxBackoff;
    private bool _disposed;

    public ReconcileQueue(TimeProvider time, TimeSpan initialBackoff, TimeSpan maxBackoff)
    {
        (_time, _initialBackoff, _maxBackoff) = (time, initialBackoff, maxBackoff);
    }

    /// <summary>Keys waiting to be worked on (not those being worked on, nor those waiting out a delay).</summary>
    public int Length
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    /// <summary>Enqueues <paramref name="key"/> unless it is waiting already; a key being worked on runs again after.</summary>
    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (_disposed || !_dirty.Add(key) || _processing.Contains(key))
            {
                return;
            }
            _ready.Enqueue(key);
        }
        _signal.Release();
    }

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed (a server's Retry-After, a resync).</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                lock (_gate)
                {
                    _timers.Remove(timer!);
                }
                timer!.Dispose();
                Add(key);
            }, null, delay, Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
        }
    }

    /// <summary>The key failed: it comes back after its backoff, which doubles with each failure in a row (capped); returns the delay.</summary>
    public TimeSpan AddFailed(TKey key, TimeSpan? retryAfter = null)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
            var backoff = TimeSpan.FromTicks(Math.Min(_maxBackoff.Ticks, _initialBackoff.Ticks * (1L << Math.Min(failures - 1, 30))));
            delay = retryAfter is { } server && server > backoff ? server : backoff;
        }
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>The key succeeded: its next failure starts from the first backoff again.</summary>
    public void Forget(TKey key)
    {
        lock (_gate)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>The next key to work on; the caller calls <see cref="Done"/> when finished with it.</summary>
    public async Task<TKey> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken);
            lock (_gate)
            {
                if (_ready.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    /// <summary>Finished with <paramref name="key"/>: if it was added meanwhile, it is ready again now.</summary>
    public void Done(TKey key)
    {
        lock (_gate)
        {
            _processing.Remove(key);
            if (!_dirty.Contains(key) || _disposed)
            {
                return;
            }
            _ready.Enqueue(key);
        }
        _signal.Release();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }
            _timers.Clear();
        }
        _signal.Dispose();
    }
}

/// <summary>
/// How fast the engine writes to one cluster: at most <c>perSecond</c> writes in any one second, in
/// <see cref="TimeProvider"/> time. A token bucket would let its burst and its refill through in the same second (twice
/// the limit), so this keeps the finishing times of the last <c>perSecond</c> writes, and the next write starts no
/// sooner than a second after the oldest of them finished: the cluster never sees more than the limit in a second.
/// </summary>
public sealed class WriteBudget(TimeProvider time, int perSecond)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Queue<long> _finished = new();
    private readonly int _limit = Math.Max(1, perSecond);

    /// <summary>How long to wait before the next write may start (zero when it may start now).</summary>
    public TimeSpan Delay()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            while (_finished.Count > 0 && time.GetElapsedTime(_finished.Peek(), now) >= Window)
            {
                _finished.Dequeue();
            }
            return _finished.Count < _limit ? TimeSpan.Zero : Window - time.GetElapsedTime(_finished.Peek(), now);
        }
    }

    /// <summary>A write finished (whatever its outcome): it counts against the next second.</summary>
    public void Finished()
    {
        lock (_gate)
        {
            _finished.Enqueue(time.GetTimestamp());
            while (_finished.Count > _limit)
            {
                _finished.Dequeue();
            }
        }
    }
}
