using MultiCluster.Simulator.Api;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Faults;

/// <summary>
/// The switches a test or the command line flips to make one cluster misbehave the way real clusters do:
/// throttling, errors, latency, dropped and expired watches, revoked credentials, and going offline.
/// </summary>
public sealed class ClusterFaults(SimulatedCluster cluster)
{
    private int _forcedExpiries;

    /// <summary>Share of requests (0..1) answered 429 TooManyRequests with Retry-After.</summary>
    public double TooManyRequestsRatio { get; set; }

    /// <summary>Share of requests (0..1) answered 500 InternalError.</summary>
    public double InternalErrorRatio { get; set; }

    /// <summary>Added before every request is served.</summary>
    public TimeSpan Latency { get; set; }

    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Bearer token and client certificate are refused with 401 until restored.</summary>
    public bool CredentialsRevoked { get; private set; }

    public bool IsOffline => !cluster.IsListening;

    public void RevokeToken() => CredentialsRevoked = true;

    public void RestoreToken() => CredentialsRevoked = false;

    /// <summary>Ends every open watch stream; clients must re-establish them.</summary>
    public void DropWatches() => cluster.Store.CloseAllWatches();

    /// <summary>The next <paramref name="count"/> watches from a resourceVersion get an ERROR event with 410 Expired.</summary>
    public void ExpireNextWatches(int count = 1) => Interlocked.Add(ref _forcedExpiries, count);

    /// <summary>Forgets the change history: every watch from a resourceVersion before now gets 410 Expired.</summary>
    public void CompactHistory() => cluster.Store.CompactHistory();

    /// <summary>Stops listening: connections are refused until <see cref="BringOnlineAsync"/>.</summary>
    public Task TakeOfflineAsync() => cluster.StopListeningAsync();

    public Task BringOnlineAsync() => cluster.StartListeningAsync();

    public void CrashLoopPod(string ns, string name) => SetPodFault(ns, name, FaultAnnotations.CrashLoopBackOff);

    public void FailImagePull(string ns, string name) => SetPodFault(ns, name, FaultAnnotations.ImagePullBackOff);

    public void OomKillPod(string ns, string name) => SetPodFault(ns, name, FaultAnnotations.OomKilled);

    public void HealPod(string ns, string name) => SetPodFault(ns, name, null);

    public void SetNodeNotReady(string node, bool notReady = true) => SetNodeFault(node, notReady ? FaultAnnotations.NotReady : null);

    public void SetNodeMemoryPressure(string node, bool pressure = true) => SetNodeFault(node, pressure ? FaultAnnotations.MemoryPressure : null);

    internal bool TakeForcedExpiry()
    {
        while (true)
        {
            var current = Volatile.Read(ref _forcedExpiries);
            if (current <= 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _forcedExpiries, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    internal async Task BeforeRequestAsync(CancellationToken cancellation)
    {
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cluster.Store.Time, cancellation);
        }
        var roll = Random.Shared.NextDouble();
        if (roll < TooManyRequestsRatio)
        {
            throw ApiException.TooManyRequests(RetryAfterSeconds);
        }
        if (roll < TooManyRequestsRatio + InternalErrorRatio)
        {
            throw ApiException.InternalError("simulated server fault");
        }
    }

    private void SetPodFault(string ns, string name, string? fault) =>
        SetAnnotation(Store.ResourceCatalog.Pods, ns, name, FaultAnnotations.PodFault, fault);

    private void SetNodeFault(string node, string? fault)
    {
        SetAnnotation(Store.ResourceCatalog.Nodes, "", node, FaultAnnotations.NodeFault, fault);
        cluster.Controllers.Nodes.Heartbeat(node);
    }

    private void SetAnnotation(Store.ResourceType type, string ns, string name, string key, string? value)
    {
        var result = cluster.Store.Mutate(type, ns, name, obj =>
        {
            var metadata = obj["metadata"]!.AsObject();
            if (metadata["annotations"] is not System.Text.Json.Nodes.JsonObject annotations)
            {
                annotations = [];
                metadata["annotations"] = annotations;
            }
            if (value is null)
            {
                return annotations.Remove(key);
            }
            annotations[key] = value;
            return true;
        });
        if (result is null)
        {
            throw ApiException.NotFound(type, name);
        }
    }
}
