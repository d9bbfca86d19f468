using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>
/// ?watch=1: a chunked stream of JSON lines (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR), from the requested
/// resourceVersion, until timeoutSeconds, the client leaving, or the server dropping the watch.
/// </summary>
public sealed class WatchEndpoint(SimulatedCluster cluster)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task ServeAsync(ApiRequest request)
    {
        var context = request.Context;
        var query = request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"], request.Type);
        var resourceVersion = query["resourceVersion"].ToString();
        long? from = resourceVersion is "" or "0" ? null
            : long.TryParse(resourceVersion, CultureInfo.InvariantCulture, out var rv) ? rv
            : throw ApiException.BadRequest($"invalid resource version: {resourceVersion}");
        var bookmarks = query["allowWatchBookmarks"].ToString() is "true" or "1";
        var table = Tables.IsRequested(context);
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(1800 * (1 + Random.Shared.NextDouble()));

        context.Response.StatusCode = 200;
        context.Response.ContentType = Responses.Json;
        WatchSubscription subscription;
        try
        {
            if (from is not null && cluster.Faults.TakeForcedExpiry())
            {
                throw ApiException.Expired($"too old resource version: {from} ({cluster.Store.ResourceVersion})");
            }
            subscription = cluster.Store.Watch(request.Type, request.Type.Namespaced ? request.Namespace : null, from, capacity: 10_000);
            // Signed in before the credentials were revoked, registered after the watches were dropped: a revocation
            // followed by DropWatches would otherwise leave this one stream open for as long as it lasts.
            if (cluster.Authenticate(context) is null)
            {
                subscription.Dispose();
                throw ApiException.Unauthorized();
            }
        }
        catch (ApiException e) when (e.Code == 410)
        {
            await WriteEventAsync(context.Response.Body, "ERROR", JsonSerializer.SerializeToUtf8Bytes(e.ToStatus(), JsonWire.Options), context.RequestAborted);
            return;
        }

        using (subscription)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, cluster.Lifetime);
            deadline.CancelAfter(timeout);
            await context.Response.StartAsync(deadline.Token);
            var body = context.Response.Body;
            var lastSent = from ?? 0;
            try
            {
                foreach (var change in subscription.Backlog)
                {
                    lastSent = await SendAsync(body, request, change, labels, fields, table, deadline.Token) ?? lastSent;
                }
                await body.FlushAsync(deadline.Token);
                var interval = cluster.Options.BookmarkInterval;
                var nextBookmark = cluster.Store.Time.GetUtcNow() + interval;
                while (true)
                {
                    var untilBookmark = nextBookmark - cluster.Store.Time.GetUtcNow();
                    if (untilBookmark <= TimeSpan.Zero)
                    {
                        nextBookmark = cluster.Store.Time.GetUtcNow() + interval;
                        if (bookmarks)
                        {
                            // Every change up to lastSent is delivered; when nothing is queued, so is every change up to now.
                            var current = cluster.Store.ResourceVersion;
                            await WriteBookmarkAsync(body, request.Type, subscription.Events.Count == 0 ? Math.Max(current, lastSent) : lastSent, deadline.Token);
                            await body.FlushAsync(deadline.Token);
                        }
                        continue;
                    }
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    tick.CancelAfter(untilBookmark);
                    try
                    {
                        if (!await subscription.Events.WaitToReadAsync(tick.Token))
                        {
                            return;
                        }
                    }
                    catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                    {
                        continue;
                    }
                    while (subscription.Events.TryRead(out var change))
                    {
                        lastSent = await SendAsync(body, request, change, labels, fields, table, deadline.Token) ?? lastSent;
                    }
                    await body.FlushAsync(deadline.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // The watch timed out, the client went away, or the cluster stopped: end the stream.
            }
        }
    }

    private static async Task<long?> SendAsync(Stream body, ApiRequest request, WatchEvent change, LabelSelector labels, FieldSelector fields, bool table, CancellationToken cancellation)
    {
        var matches = labels.Matches(change.Object.Labels) && fields.Matches(change.Object);
        var matchedBefore = change.Previous is { } previous && labels.Matches(previous.Labels) && fields.Matches(previous);
        var type = change.Type switch
        {
            WatchEvent.Modified when matches && !matchedBefore && change.Previous is not null => WatchEvent.Added,
            WatchEvent.Modified when !matches && matchedBefore => WatchEvent.Deleted,
            WatchEvent.Deleted when !matchedBefore && !matches => null,
            _ when !matches && change.Type != WatchEvent.Deleted => null,
            _ => change.Type,
        };
        if (type is null)
        {
            return null;
        }
        var obj = table
            ? JsonSerializer.SerializeToUtf8Bytes(Tables.ForList(request, new ListResult([change.Object], change.Object.ResourceVersion, null, null), DateTimeOffset.UtcNow), JsonWire.Options)
            : change.Object.Json;
        await WriteEventAsync(body, type, obj, cancellation);
        return change.Object.ResourceVersion;
    }

    private static Task WriteBookmarkAsync(Stream body, ResourceType type, long resourceVersion, CancellationToken cancellation)
    {
        var bookmark = new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null },
        };
        return WriteEventAsync(body, "BOOKMARK", JsonSerializer.SerializeToUtf8Bytes(bookmark, JsonWire.Options), cancellation);
    }

    private static async Task WriteEventAsync(Stream body, string type, byte[] obj, CancellationToken cancellation)
    {
        await body.WriteAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":"), cancellation);
        await body.WriteAsync(obj, cancellation);
        await body.WriteAsync("}"u8.ToArray(), cancellation);
        await body.WriteAsync(NewLine, cancellation);
    }
}
