namespace MultiCluster.Kubernetes.Informers;

public sealed class InformerOptions
{
    /// <summary>Objects per page of a list (<c>limit</c>); the rest follows with <c>continue</c>.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>The <c>timeoutSeconds</c> asked of the server; a watch is renewed from its resourceVersion after it.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A watch that delivers nothing, not even a bookmark, for this long is presumed dead and restarted.</summary>
    public TimeSpan SilenceLimit { get; set; } = TimeSpan.FromMinutes(6);

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries after failures back off exponentially, with jitter, up to this.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// List pages fetched at once across the whole fleet: 150 clusters starting together would otherwise
    /// deserialize hundreds of pages at the same time, for no faster sync and a much bigger heap.
    /// </summary>
    public int ListConcurrency { get; set; } = 8;

    private SemaphoreSlim? _listGate;

    internal SemaphoreSlim ListGate => LazyInitializer.EnsureInitialized(ref _listGate, () => new SemaphoreSlim(ListConcurrency));

    /// <summary>Refused credentials do not get better by asking again at once: retry after this.</summary>
    public TimeSpan UnauthorizedRetry { get; set; } = TimeSpan.FromSeconds(30);
}
