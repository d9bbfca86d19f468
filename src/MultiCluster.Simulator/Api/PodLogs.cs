using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Api;

/// <summary>pods/{name}/log: generated lines per container and restart, with tailLines, timestamps, previous and follow.</summary>
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
        var context = request.Context;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        foreach (var line in lines)
        {
            await context.Response.WriteAsync(line.Format(timestamps), context.RequestAborted);
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
