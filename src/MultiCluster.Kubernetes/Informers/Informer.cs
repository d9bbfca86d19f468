using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Kubernetes.Informers;

/// <summary>Told what one informer is doing, to work out its cluster's health.</summary>
public interface IInformerObserver
{
    void StatusChanged(KindWatchStatus status);

    /// <summary>The API server answered something.</summary>
    void Contacted();
}

/// <summary>
/// Keeps the store's copy of one kind of one cluster equal to the API server's: a paged list, then a watch
/// from the list's resourceVersion with bookmarks; a relist when the server says 410 Gone; exponential
/// backoff with jitter after failures, reset by the first good event; a watch that goes silent is restarted.
/// KubernetesClient does none of this by itself.
/// </summary>
public sealed partial class Informer<T, TList>(
    string cluster,
    Uri server,
    IKubernetes client,
    WatchedKind<T, TList> kind,
    FleetStateStore store,
    FleetProjections projections,
    IInformerObserver observer,
    InformerOptions options,
    TimeProvider time,
    ILogger logger)
    where T : IKubernetesObject<V1ObjectMeta>
    where TList : IItems<T>, IMetadata<V1ListMeta>
{
    // What the store holds of this kind and cluster, with each object's resourceVersion, so a relist sends only differences.
    private readonly Dictionary<string, KnownVersion> _known = new(StringComparer.Ordinal);
    private readonly Backoff _backoff = new(options.InitialBackoff, options.MaxBackoff);
    private WatchState _state = WatchState.Listing;
    private string? _problem;

    public int Relists { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Report(WatchState.Listing, null);
        string? resourceVersion = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                resourceVersion ??= await ListAsync(cancellationToken);
                resourceVersion = await WatchAsync(resourceVersion, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // After a failure the watch may have missed changes that are gone from the server's history: list again.
                resourceVersion = null;
                var (state, problem, retryAfter) = Classify(ex);
                Report(state, problem);
                var delay = state == WatchState.Unauthorized ? options.UnauthorizedRetry : _backoff.Next();
                if (retryAfter > delay)
                {
                    delay = retryAfter.Value;
                }
                LogRetry(logger, kind.Name, cluster, delay.TotalSeconds, problem);
                try
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Lists every object page by page, sends the store what differs, and returns the list's resourceVersion.</summary>
    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        Relists++;
        KubernetesTelemetry.Relists.Add(1, KubernetesTelemetry.Informer(cluster, kind.Name));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? listVersion = null;
        string? next = null;
        do
        {
            V1ListMeta? page;
            var changes = new List<FleetChange>();
            await options.ListGate.WaitAsync(cancellationToken);
            try
            {
                // Each object is summarized as it is read, and dropped.
                page = await ListItems.ReadAsync<T, TList>(() => kind.List(client, new ListRequest(next, options.PageSize), cancellationToken), item =>
                {
                    var key = FleetKeys.Of(item.Metadata.NamespaceProperty, item.Metadata.Name);
                    seen.Add(key);
                    Upsert(key, item, changes);
                }, cancellationToken, kind.Decoding);
            }
            finally
            {
                options.ListGate.Release();
                // Each object read is in the informer's record already: the store gets it even when the page broke off
                // partway, or the next list would skip it as known.
                store.Apply(changes);
            }
            observer.Contacted();
            // Every page of a list belongs to the first page's snapshot; the watch starts there.
            listVersion ??= page?.ResourceVersion;
            next = page?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        var deletes = _known.Keys.Where(key => !seen.Contains(key)).ToList();
        foreach (var key in deletes)
        {
            _known.Remove(key);
        }
        store.Apply(deletes.Select(key => FleetChange.Delete(kind.Kind, cluster, key)).ToList());
        Report(WatchState.Watching, null);
        return listVersion ?? "";
    }

    /// <summary>Watches from <paramref name="resourceVersion"/> until the stream ends; returns where to go on from, or null to relist.</summary>
    private async Task<string?> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        using var silence = new CancellationTokenSource(options.SilenceLimit, time);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        Exception? streamError = null;
        var request = new WatchRequest(resourceVersion, (int)options.WatchTimeout.TotalSeconds, e => streamError ??= e);
        var received = false;
        try
        {
            await foreach (var (type, item) in WatchEvents.ReadAsync<T, TList>(kind.Watch(client, request, watch.Token), request.OnError, watch.Token, kind.Decoding))
            {
                silence.CancelAfter(options.SilenceLimit);
                received = true;
                observer.Contacted();
                Report(WatchState.Watching, null);
                _backoff.Reset();
                resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
                if (type == WatchEventType.Bookmark || item.Metadata?.Name is null)
                {
                    continue;
                }
                var key = FleetKeys.Of(item.Metadata.NamespaceProperty, item.Metadata.Name);
                var changes = new List<FleetChange>(1);
                if (type == WatchEventType.Deleted)
                {
                    if (_known.Remove(key))
                    {
                        changes.Add(FleetChange.Delete(kind.Kind, cluster, key));
                    }
                }
                else
                {
                    Upsert(key, item, changes);
                }
                store.Apply(changes);
                if (streamError is not null)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (silence.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogSilent(logger, kind.Name, cluster, options.SilenceLimit.TotalSeconds);
            CountRestart("silent");
            return resourceVersion;
        }
        catch (Exception ex) when (received && ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The connection broke in the middle of a watch that worked: go on from where it was. If the server
            // is gone, the next watch says so.
            CountRestart("broken");
            return resourceVersion;
        }
        if (streamError is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
        {
            LogExpired(logger, kind.Name, cluster);
            CountRestart("expired");
            return null;
        }
        if (streamError is not null)
        {
            throw streamError;
        }
        CountRestart("ended");
        return resourceVersion;
    }

    private void CountRestart(string reason)
    {
        var tags = KubernetesTelemetry.Informer(cluster, kind.Name);
        tags.Add("reason", reason);
        KubernetesTelemetry.WatchRestarts.Add(1, tags);
    }

    private void Upsert(string key, T item, List<FleetChange> changes)
    {
        var version = KnownVersion.Of(item.Metadata.ResourceVersion);
        if (_known.TryGetValue(key, out var knownVersion) && knownVersion == version)
        {
            return;
        }
        IFleetObject? summary;
        try
        {
            summary = kind.Project(projections, cluster, item);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One odd object must not stop a whole cluster's kind from being watched.
            LogProjectionFailed(logger, ex, kind.Name, key, cluster);
            summary = null;
        }
        if (summary is null)
        {
            if (_known.Remove(key))
            {
                changes.Add(FleetChange.Delete(kind.Kind, cluster, key));
            }
            return;
        }
        _known[key] = version;
        // The same key string for the informer's map and the store's, not one each.
        changes.Add(new FleetChange(kind.Kind, cluster, key, summary));
    }

    private (WatchState State, string Problem, TimeSpan? RetryAfter) Classify(Exception ex)
    {
        switch (ex)
        {
            case HttpOperationException { Response.StatusCode: HttpStatusCode.Unauthorized }:
                return (WatchState.Unauthorized, "The API server refuses the stored credentials (401 Unauthorized): the token or certificate is wrong, expired or revoked.", null);
            case HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden }:
                return (WatchState.Failing, $"The stored credentials may not list {kind.Name} (403 Forbidden).", null);
            case HttpOperationException { Response.StatusCode: HttpStatusCode.TooManyRequests } throttled:
                return (WatchState.Failing, "The API server is throttling requests (429 Too Many Requests).", RetryAfter(throttled));
            case HttpOperationException http:
                return (WatchState.Failing, $"The API server answered {(int)http.Response.StatusCode} {http.Response.StatusCode} to a list of {kind.Name}.", null);
            case KubernetesException { Status: { } status }:
                return (WatchState.Failing, $"The watch of {kind.Name} ended with {status.Code} {status.Reason}: {status.Message}", null);
            case HttpRequestException or TimeoutException or OperationCanceledException or IOException:
                return (WatchState.Unreachable, ConnectionTester.Explain(ex, server) ?? $"The API server cannot be reached: {ex.Message}", null);
            default:
                LogUnexpected(logger, ex, kind.Name, cluster);
                return (WatchState.Failing, $"Watching {kind.Name} failed: {ex.Message}", null);
        }
    }

    private static TimeSpan? RetryAfter(HttpOperationException ex) =>
        ex.Response.Headers.TryGetValue("Retry-After", out var values) && int.TryParse(values.FirstOrDefault(), out var seconds)
            ? TimeSpan.FromSeconds(Math.Min(seconds, 60))
            : null;

    private void Report(WatchState state, string? problem)
    {
        if (state == _state && problem == _problem && state != WatchState.Listing)
        {
            return;
        }
        _state = state;
        _problem = problem;
        observer.StatusChanged(new KindWatchStatus(kind.Name, state, problem));
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Watch of {Kind} in cluster {Cluster} failed, retrying in {Seconds:0.0} s: {Problem}")]
    private static partial void LogRetry(ILogger logger, string kind, string cluster, double seconds, string problem);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Watch of {Kind} in cluster {Cluster} was silent for {Seconds} s; restarting it")]
    private static partial void LogSilent(ILogger logger, string kind, string cluster, double seconds);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Watch of {Kind} in cluster {Cluster} expired (410 Gone); listing again")]
    private static partial void LogExpired(ILogger logger, string kind, string cluster);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Could not summarize {Kind} {Key} of cluster {Cluster}; it is left out")]
    private static partial void LogProjectionFailed(ILogger logger, Exception ex, string kind, string key, string cluster);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Unexpected failure watching {Kind} in cluster {Cluster}")]
    private static partial void LogUnexpected(ILogger logger, Exception ex, string kind, string cluster);
}
