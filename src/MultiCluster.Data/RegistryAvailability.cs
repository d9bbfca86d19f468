namespace MultiCluster.Data;

/// <summary>
/// Whether the registry database answers, as last seen by any use of it (every connection opened or failed, see
/// <see cref="RegistryAvailabilityInterceptor"/>) and by the periodic probe. One per process; pages and endpoints read
/// it, components subscribe to <see cref="Changed"/> so a banner comes and goes without a reload.
/// </summary>
public sealed class RegistryAvailability(TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _unreachableSince;

    /// <summary>Raised (on the reporting thread) when the registry stops or starts answering.</summary>
    public event Action? Changed;

    public bool IsReachable => UnreachableSince is null;

    /// <summary>When the registry stopped answering, or null while it answers.</summary>
    public DateTimeOffset? UnreachableSince
    {
        get
        {
            lock (_gate)
            {
                return _unreachableSince;
            }
        }
    }

    /// <summary>The registry answered (a connection opened, the probe connected).</summary>
    public void ReportReachable()
    {
        lock (_gate)
        {
            if (_unreachableSince is null)
            {
                return;
            }
            _unreachableSince = null;
        }
        Changed?.Invoke();
    }

    /// <summary>The registry did not answer; the first report after it answered sets <see cref="UnreachableSince"/>.</summary>
    public void ReportUnreachable()
    {
        lock (_gate)
        {
            if (_unreachableSince is not null)
            {
                return;
            }
            _unreachableSince = time.GetUtcNow();
        }
        Changed?.Invoke();
    }
}
