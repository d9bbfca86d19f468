using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiCluster.Core;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Access;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Api;

/// <summary><c>/api/v1/clusters</c> and <c>/api/v1/audit</c>, for automation with personal access tokens.</summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization(DashboardPolicies.Api).WithTags("MultiCluster");

        api.MapGet("/clusters", async (ClaimsPrincipal user, ClusterRegistry registry, ClusterVisibility visibility, CancellationToken ct) =>
            {
                var visible = visibility.For(user);
                return TypedResults.Ok(new ClusterList((await registry.ListAsync(ct)).Where(c => visible.CanSee(c.Name)).Select(ClusterResource.From).ToList()));
            })
            .RequireAuthorization(DashboardActions.ReadFleet).WithName("ListClusters");

        api.MapGet("/clusters/{name}", async Task<Results<Ok<ClusterResource>, ProblemHttpResult>> (string name, ClaimsPrincipal user, ClusterRegistry registry, ClusterVisibility visibility, CancellationToken ct) =>
            visibility.For(user).CanSee(name) && await registry.FindAsync(name, ct) is { } cluster ? TypedResults.Ok(ClusterResource.From(cluster)) : NotFound(name))
            .RequireAuthorization(DashboardActions.ReadFleet).WithName("GetCluster");

        api.MapPost("/clusters", RegisterAsync).RequireAuthorization(DashboardActions.ManageClusters).WithName("RegisterClusters");

        api.MapMethods("/clusters/{name}", ["PATCH"], async Task<Results<Ok<ClusterResource>, ProblemHttpResult>> (
                string name, UpdateClusterRequest request, ClaimsPrincipal user, ClusterRegistry registry, CancellationToken ct) =>
            {
                if (await registry.FindAsync(name, ct) is null)
                {
                    return NotFound(name);
                }
                var problem = await registry.UpdateAsync(user, name, request.DisplayName, request.Labels, ct);
                return problem is null
                    ? TypedResults.Ok(ClusterResource.From((await registry.FindAsync(name, ct))!))
                    : Invalid("The cluster cannot be changed", problem);
            })
            .RequireAuthorization(DashboardActions.ManageClusters).WithName("UpdateCluster");

        api.MapDelete("/clusters/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, ClaimsPrincipal user, ClusterRegistry registry, CancellationToken ct) =>
            {
                if (await registry.FindAsync(name, ct) is null)
                {
                    return NotFound(name);
                }
                var problem = await registry.RemoveAsync(user, name, ct);
                return problem is null ? TypedResults.NoContent() : Invalid("The cluster cannot be removed", problem);
            })
            .RequireAuthorization(DashboardActions.ManageClusters).WithName("RemoveCluster");

        api.MapPost("/clusters/{name}/test", async Task<Results<Ok<ConnectionTestResponse>, ProblemHttpResult>> (string name, ClaimsPrincipal user, ClusterRegistry registry, ClusterVisibility visibility, CancellationToken ct) =>
                visibility.For(user) is var visible && !visible.CanSee(name) ? NotFound(name)
                : visible.Refusal(DashboardActions.TestConnections, name, "test connections") is { } refused
                    ? TypedResults.Problem(detail: refused, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed on this cluster")
                : await registry.TestAsync(user, name, ct) is { } result
                    ? TypedResults.Ok(new ConnectionTestResponse(result.Succeeded, result.KubernetesVersion, result.Problem, result.Elapsed.TotalMilliseconds, result.Warning))
                    : NotFound(name))
            .RequireAuthorization(DashboardActions.TestConnections).WithName("TestCluster");

        api.MapGet("/audit", async (string? actor, string? action, string? cluster, AuditOutcome? outcome, DateTimeOffset? from, DateTimeOffset? to, int? skip, int? take, AuditLog audit, CancellationToken ct) =>
            {
                var page = await audit.SearchAsync(new AuditQuery { Actor = actor, Action = action, Cluster = cluster, Outcome = outcome, From = from, To = to, Skip = skip ?? 0, Take = take ?? 50 }, ct);
                return TypedResults.Ok(new AuditList(page.Total, page.Entries.Select(e => new AuditEntryResource(e.Time, e.Actor, e.Action, e.Target, e.Outcome.ToString(), e.Detail)).ToList()));
            })
            .RequireAuthorization(DashboardActions.ReadAudit).WithName("ListAudit");

        return endpoints;
    }

    private static async Task<Results<Created<ClusterList>, ProblemHttpResult>> RegisterAsync(
        RegisterClustersRequest request, ClaimsPrincipal user, ClusterRegistry registry, AuditLog audit, CancellationToken ct)
    {
        var (registrations, problem) = ClusterRequests.ToRegistrations(request);
        if (problem is not null)
        {
            await audit.RecordAsync(AuditLog.ActorOf(user), ClusterAuditActions.Register, ClusterAuditActions.Target(request.Name ?? "(kubeconfig)"), AuditOutcome.Failed, problem, ct);
            return Invalid("The cluster cannot be registered", problem);
        }
        var outcome = await registry.RegisterAsync(user, registrations, ct);
        if (!outcome.Succeeded)
        {
            var failures = outcome.Results.Where(r => r.Problem is not null).ToDictionary(r => r.Name, r => new[] { r.Problem! });
            var first = outcome.Results.First(r => !r.Succeeded && !r.Problem!.StartsWith("Not registered, because", StringComparison.Ordinal));
            return TypedResults.Problem(
                detail: $"{first.Name}: {first.Problem}",
                statusCode: StatusCodes.Status400BadRequest,
                title: "The cluster cannot be registered",
                extensions: new Dictionary<string, object?> { ["errors"] = failures });
        }
        var created = outcome.Results.Select(r => ClusterResource.From(r.Cluster!)).ToList();
        return TypedResults.Created(created.Count == 1 ? $"/api/v1/clusters/{created[0].Name}" : "/api/v1/clusters", new ClusterList(created));
    }

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(detail: $"No cluster is named '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static ProblemHttpResult Invalid(string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
