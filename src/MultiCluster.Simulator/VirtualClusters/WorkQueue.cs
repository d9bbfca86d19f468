namespace MultiCluster.Simulator.VirtualClusters;

/// <summary>
/// client-go's workqueue in small, for one worker: a key waiting is never added twice, a change (<see cref="Add"/>) is taken
/// at once, and a key that failed comes back after a per-key backoff of 1 s doubling to 30 s (<see cref="Retry"/>) unless it
/// changes first; <see cref="Forget"/> resets its failures.
/// </summary>
internal sealed class WorkQueue<TKey>(TimeProvider time) where TKey : notnull
{
    private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(30);
    private readonly Lock _lock = new();
    private readonly HashSet<TKey> _ready = [];
    private readonly Dictionary<TKey, (int Failures, DateTimeOffset Due)> _backoff = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(TKey key)
    {
        lock (_lock)
        {
            if (_ready.Add(key))
            {
                _wake.TrySetResult();
            }
        }
    }

    public void Retry(TKey key)
    {
        lock (_lock)
        {
            var failures = _backoff.GetValueOrDefault(key).Failures + 1;
            var delay = TimeSpan.FromTicks(Math.Min(BackoffCap.Ticks, BackoffBase.Ticks << Math.Min(failures - 1, 30)));
            _backoff[key] = (failures, time.GetUtcNow() + delay);
            _wake.TrySetResult();
        }
    }

    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _backoff.Remove(key);
        }
    }

    /// <summary>
    /// The one worker's loop, until <paramref name="stop"/>: each key taken is worked; one that succeeds is forgotten, one
    /// that fails with an exception <paramref name="retryable"/> accepts comes back after its backoff, and
    /// <paramref name="failed"/> hears of it.
    /// </summary>
    public async Task RunAsync(Func<TKey, Task> work, Func<Exception, bool> retryable, Action<TKey, Exception> failed, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<TKey> keys;
            try
            {
                keys = await TakeAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            foreach (var key in keys)
            {
                try
                {
                    await work(key);
                    Forget(key);
                }
                catch (Exception e) when (retryable(e))
                {
                    Retry(key);
                    failed(key, e);
                }
            }
        }
    }

    /// <summary>Waits for keys to work on and takes them all.</summary>
    public async Task<IReadOnlyList<TKey>> TakeAsync(CancellationToken stop)
    {
        while (true)
        {
            Task woken;
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                var next = DateTimeOffset.MaxValue;
                foreach (var (key, (failures, due)) in _backoff.ToList())
                {
                    if (due <= now)
                    {
                        _ready.Add(key);
                        _backoff[key] = (failures, DateTimeOffset.MaxValue);
                    }
                    else if (due < next)
                    {
                        next = due;
                    }
                }
                if (_ready.Count > 0)
                {
                    List<TKey> taken = [.. _ready];
                    _ready.Clear();
                    return taken;
                }
                if (_wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                woken = _wake.Task;
                wait = next == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : next - now;
            }
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var delay = Task.Delay(wait, time, timer.Token);
            await Task.WhenAny(woken, delay);
            await timer.CancelAsync();
            stop.ThrowIfCancellationRequested();
        }
    }
}
