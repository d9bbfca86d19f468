namespace MultiCluster.Web.Fleet;

public static class PodLogEndpoints
{
    /// <summary><c>GET /clusters/{cluster}/pods/{ns}/{name}/logs</c>: a pod's log as a file to download, for signed-in users who may see the cluster.</summary>
    public static WebApplication MapPodLogDownloads(this WebApplication app)
    {
        app.MapGet("/clusters/{cluster}/pods/{ns}/{name}/logs", async (string cluster, string ns, string name, string? container, bool? previous, int? tailLines,
            HttpContext context, PodLogs logs, CancellationToken cancellationToken) =>
        {
            if (!Identity.ClusterAccess.CanSee(context.User, cluster))
            {
                return Results.NotFound();
            }
            var (text, problem) = await logs.ReadAsync(new LogRequest(cluster, ns, name, container, previous == true, tailLines), cancellationToken);
            if (text is null)
            {
                return Results.Problem(problem, statusCode: StatusCodes.Status502BadGateway, title: "The log could not be read");
            }
            var file = $"{cluster}_{ns}_{name}{(container is null ? "" : "_" + container)}{(previous == true ? "_previous" : "")}.log";
            return Results.File(System.Text.Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", file);
        });
        return app;
    }

    public static IServiceCollection AddPodLogs(this IServiceCollection services)
    {
        services.AddSingleton<ClusterClients>();
        services.AddSingleton<PodLogs>();
        return services;
    }
}
