using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>
/// pods/{name}/log: generated lines per container and restart, with tailLines, limitBytes, timestamps, previous and follow;
/// a pod annotated with <see cref="Faults.FaultAnnotations.LogBytes"/> has a current log of that size, generated as it is sent.
/// </summary>
public static class PodLogs
{
    private static readonly string[] Messages =
    [
        "GET /healthz 200 0.4ms", "handled request path=/api/items status=200 duration=12ms", "cache refreshed entries=128",
        "connected to upstream", "GET /metrics 200 1.1ms", "processed batch size=50", "lease renewed",
    ];

    public static async Task HandleAsync(ApiRequest request, ClusterStore store)
    {
        var name = request.Name ?? throw ApiException.NotFoundPath();
        var pod = (store.Get(request.Type, request.NamespaceOrEmpty, name) ?? throw ApiException.NotFound(request.Type, name)).ToJsonObject();
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(c => (string)c["name"]!).ToList();
        var container = request.Query["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count != 1)
            {
                throw ApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers)}]");
            }
            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
        }
        var status = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => (string?)s["name"] == container);
        var restarts = JsonNumber.Int(status?["restartCount"]) ?? 0;
        var previous = request.Query["previous"].ToString() is "true" or "1";
        if (status?["state"]?["running"] is null && !previous && status?["state"]?["terminated"] is null)
        {
            var reason = (string?)status?["state"]?["waiting"]?["reason"] ?? "ContainerCreating";
            throw ApiException.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: {reason}");
        }
        if (previous && restarts == 0)
        {
            throw ApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{name}\" not found");
        }
        var instance = previous ? restarts - 1 : restarts;
        var started = DateTimeOffset.TryParse((string?)status?["state"]?["running"]?["startedAt"] ?? (string?)pod["status"]?["startTime"], CultureInfo.InvariantCulture, out var s) ? s : store.Time.GetUtcNow();
        var count = previous ? 20 : Math.Clamp((int)(store.Time.GetUtcNow() - started).TotalSeconds + 5, 5, 200);
        var lines = Enumerable.Range(0, count).Select(i => Line(name, container, instance, i, started.AddSeconds(i))).ToList();
        if (previous && (string?)status?["lastState"]?["terminated"]?["reason"] is { } terminatedReason)
        {
            lines.Add(Line(name, container, instance, count, started.AddSeconds(count)) with { Text = $"fatal: container exiting ({terminatedReason})" });
        }
        if (int.TryParse(request.Query["tailLines"], out var tail) && tail >= 0)
        {
            lines = lines.TakeLast(tail).ToList();
        }
        var timestamps = request.Query["timestamps"].ToString() is "true" or "1";
        var limit = long.TryParse(request.Query["limitBytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var limitBytes) && limitBytes > 0 ? limitBytes : long.MaxValue;
        var context = request.Context;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        var size = !previous && long.TryParse((string?)pod["metadata"]?["annotations"]?[Faults.FaultAnnotations.LogBytes], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : (long?)null;
        var sent = 0L;
        foreach (var line in size is { } total ? Generated(name, container, instance, started, total) : lines)
        {
            // limitBytes cuts where the limit falls, even inside a line, as the kubelet does.
            var text = System.Text.Encoding.UTF8.GetBytes(line.Format(timestamps));
            var take = (int)Math.Min(text.Length, limit - sent);
            await context.Response.Body.WriteAsync(text.AsMemory(0, take), context.RequestAborted);
            sent += take;
            if (sent >= limit)
            {
                return;
            }
        }
        if (request.Query["follow"].ToString() is "true" or "1" && !previous)
        {
            await context.Response.Body.FlushAsync(context.RequestAborted);
            for (var i = count; !context.RequestAborted.IsCancellationRequested && store.Get(request.Type, request.NamespaceOrEmpty, name) is not null; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), store.Time, context.RequestAborted);
                await context.Response.WriteAsync(Line(name, container, instance, i, store.Time.GetUtcNow()).Format(timestamps), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
    }

    /// <summary>Lines until <paramref name="total"/> bytes, made as they are read: a large log costs no memory.</summary>
    private static IEnumerable<LogLine> Generated(string pod, string container, int instance, DateTimeOffset started, long total)
    {
        var written = 0L;
        for (var i = 0; written < total; i++)
        {
            var line = Line(pod, container, instance, i, started.AddMilliseconds(i));
            var length = line.Text.Length + 1;
            yield return written + length <= total ? line : line with { Text = line.Text[..(int)Math.Max(0, total - written - 1)] };
            written += length;
        }
    }

    private static LogLine Line(string pod, string container, int instance, int index, DateTimeOffset time) =>
        new(time, index == 0
            ? $"starting {container} (pod {pod}, instance {instance})"
            : $"level=info instance={instance} {Messages[(index + instance) % Messages.Length]}");

    private sealed record LogLine(DateTimeOffset Time, string Text)
    {
        public string Format(bool timestamps) =>
            (timestamps ? Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z' ", CultureInfo.InvariantCulture) : "") + Text + "\n";
    }
}
