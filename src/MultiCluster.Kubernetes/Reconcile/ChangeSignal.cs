namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>A version that moves with every change, and a wait for the next one: how a source tells the engine "look again".</summary>
public sealed class ChangeSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public void Notify()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _version++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>Completes once <see cref="Version"/> has moved past <paramref name="seen"/>.</summary>
    public async Task WaitAsync(long seen, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_version != seen)
            {
                return;
            }
            changed = _changed.Task;
        }
        await changed.WaitAsync(cancellationToken);
    }

    /// <summary>Completes once <paramref name="done"/> holds, asked again after every <see cref="Notify"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            var version = Version;
            if (done())
            {
                return;
            }
            await WaitAsync(version, cancellationToken);
        }
    }
}
