using System.Globalization;
using System.Buffers;
using System.IO.Pipelines;
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
    /// <summary>Written events are flushed (and the client's pace felt) at least this often while a backlog or batch is written.</summary>
    private const int FlushEvery = 64 * 1024;

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
            WriteEvent(context.Response.BodyWriter, "ERROR", JsonSerializer.SerializeToUtf8Bytes(e.ToStatus(), JsonWire.Options));
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            return;
        }

        using (subscription)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, cluster.Lifetime);
            deadline.CancelAfter(timeout);
            await context.Response.StartAsync(deadline.Token);
            var body = context.Response.BodyWriter;
            var lastSent = from ?? 0;
            var unflushed = 0;
            try
            {
                foreach (var change in subscription.Backlog)
                {
                    unflushed = await FlushWhenFullAsync(body, unflushed + Send(body, request, change, labels, fields, table, ref lastSent), deadline.Token);
                }
                await body.FlushAsync(deadline.Token);
                unflushed = 0;
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
                            WriteBookmark(body, request.Type, subscription.Events.Count == 0 ? Math.Max(current, lastSent) : lastSent);
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
                        unflushed = await FlushWhenFullAsync(body, unflushed + Send(body, request, change, labels, fields, table, ref lastSent), deadline.Token);
                    }
                    await body.FlushAsync(deadline.Token);
                    unflushed = 0;
                }
            }
            catch (OperationCanceledException)
            {
                // The watch timed out, the client went away, or the cluster stopped: end the stream.
            }
        }
    }

    /// <summary>Flushes once <see cref="FlushEvery"/> bytes are written and unflushed; returns what is left unflushed.</summary>
    private static async ValueTask<int> FlushWhenFullAsync(PipeWriter body, int unflushed, CancellationToken cancellation)
    {
        if (unflushed < FlushEvery)
        {
            return unflushed;
        }
        await body.FlushAsync(cancellation);
        return 0;
    }

    /// <summary>Writes the change as the watch's selectors see it (or nothing); returns the bytes written, for flushing.</summary>
    private static int Send(PipeWriter body, ApiRequest request, WatchEvent change, LabelSelector labels, FieldSelector fields, bool table, ref long lastSent)
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
            return 0;
        }
        var obj = table
            ? JsonSerializer.SerializeToUtf8Bytes(Tables.ForList(request, new ListResult([change.Object], change.Object.ResourceVersion, null, null), DateTimeOffset.UtcNow), JsonWire.Options)
            : change.Object.Json;
        lastSent = change.Object.ResourceVersion;
        return WriteEvent(body, type, obj);
    }

    private static void WriteBookmark(PipeWriter body, ResourceType type, long resourceVersion)
    {
        var bookmark = new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture), ["creationTimestamp"] = null },
        };
        WriteEvent(body, "BOOKMARK", JsonSerializer.SerializeToUtf8Bytes(bookmark, JsonWire.Options));
    }

    /// <summary>One line of the stream, copied into the response's buffer: no array or task of its own per event.</summary>
    private static int WriteEvent(PipeWriter body, string type, ReadOnlySpan<byte> obj)
    {
        var start = type switch
        {
            WatchEvent.Added => """{"type":"ADDED","object":"""u8,
            WatchEvent.Modified => """{"type":"MODIFIED","object":"""u8,
            WatchEvent.Deleted => """{"type":"DELETED","object":"""u8,
            "BOOKMARK" => """{"type":"BOOKMARK","object":"""u8,
            "ERROR" => """{"type":"ERROR","object":"""u8,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a watch event type"),
        };
        body.Write(start);
        body.Write(obj);
        body.Write("}\n"u8);
        return start.Length + obj.Length + 2;
    }
}
