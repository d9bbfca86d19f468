using MultiCluster.Web.Access;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Fleet;

public static class PodLogEndpoints
{
    /// <summary>What a download carries at most unless <c>limitBytes</c> asks for less (kubectl's flag of the same name).</summary>
    public const long DefaultLimitBytes = 50L * 1024 * 1024;

    /// <summary>
    /// <c>GET /clusters/{cluster}/pods/{ns}/{name}/logs</c>: a pod's log as a file, streamed from the cluster and cut at
    /// <c>limitBytes</c> (default 50 MB) whatever the cluster sends, for users who may read logs of the cluster. Read as the
    /// person: the cluster's refusal is a 403 whose detail says which access fell short.
    /// </summary>
    public static WebApplication MapPodLogDownloads(this WebApplication app)
    {
        app.MapGet("/clusters/{cluster}/pods/{ns}/{name}/logs", async (string cluster, string ns, string name, string? container, bool? previous, int? tailLines, long? limitBytes,
            HttpContext context, PodLogs logs, ClusterVisibility visibility, CancellationToken cancellationToken) =>
        {
            var visible = visibility.For(context.User);
            if (!visible.CanSee(cluster))
            {
                return Results.NotFound();
            }
            if (visible.Refusal(DashboardActions.ReadLogs, cluster, "read logs") is { } refusal)
            {
                return Results.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "Logs may not be read");
            }
            if (limitBytes is <= 0)
            {
                return Results.Problem("limitBytes must be a positive number of bytes.", statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");
            }
            var limit = Math.Min(limitBytes ?? DefaultLimitBytes, DefaultLimitBytes);
            var (stream, problem) = await logs.OpenAsync(context.User, new LogRequest(cluster, ns, name, container, previous == true, tailLines, limit), cancellationToken);
            if (stream is null)
            {
                return Results.Problem(problem!.Message, statusCode: problem.StatusCode, title: "The log could not be read");
            }
            var file = $"{cluster}_{ns}_{name}{(container is null ? "" : "_" + container)}{(previous == true ? "_previous" : "")}.log";
            return Results.Stream(async body =>
            {
                await using (stream)
                {
                    await LimitedCopy.CopyAsync(stream, body, limit, cancellationToken);
                }
            }, "text/plain; charset=utf-8", SafeFileName(file));
        }).RequireAuthorization(DashboardPolicies.CookieOrToken, DashboardActions.ReadLogs);
        return app;
    }

    /// <summary>Names come from the URL and the cluster: only a plain file name reaches Content-Disposition.</summary>
    private static string SafeFileName(string name)
    {
        var safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        return safe.Length > 200 ? safe[..200] : safe;
    }

    public static IServiceCollection AddPodLogs(this IServiceCollection services)
    {
        services.AddSingleton<ClusterClients>();
        services.AddSingleton<PodLogs>();
        return services;
    }
}

/// <summary>Copies at most a number of bytes, through one small buffer: memory stays the same whatever the source sends.</summary>
public static class LimitedCopy
{
    public static async Task<long> CopyAsync(Stream source, Stream destination, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long copied = 0;
        while (copied < limit)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - copied)), cancellationToken);
            if (read == 0)
            {
                break;
            }
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            copied += read;
        }
        return copied;
    }
}
