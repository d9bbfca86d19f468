using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Access;
using MultiCluster.Web.Identity;
using MultiCluster.Web.Triage;

namespace MultiCluster.Web.Api;

/// <summary>
/// <c>/api/v1/problems</c>: the Triage page for tools (a pager bridge, a chat bot), with the same filters and
/// order; acknowledging and snoozing too. The live feed is the hub's <c>problems</c> kind.
/// </summary>
public static class ProblemEndpoints
{
    public static IEndpointRouteBuilder MapProblemApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/problems").RequireAuthorization(DashboardPolicies.Api).WithTags("MultiCluster");

        api.MapGet("/", Results<Ok<ProblemList>, ProblemHttpResult> (
                string? cluster, string? selector, string? @namespace, Severity? severity, string? kind, bool? includeSnoozed,
                ClaimsPrincipal user, ClusterVisibility visibility, TimeProvider time) =>
            {
                var query = new TriageQuery
                {
                    Cluster = cluster, ClusterSelector = selector, Namespace = @namespace, Severity = severity, Kind = kind, IncludeSnoozed = includeSnoozed ?? false,
                };
                var visible = visibility.For(user);
                var (rows, error) = TriageView.Rows(visible.All<ProblemGroup>(FleetKind.Problem), c => visible.Cluster(c)?.Labels, query, time.GetUtcNow());
                return error is not null
                    ? TypedResults.Problem(detail: error, statusCode: StatusCodes.Status400BadRequest, title: "The cluster selector is not valid")
                    : TypedResults.Ok(new ProblemList(rows.Count, [.. rows.Select(ProblemResource.From)]));
            })
            .RequireAuthorization(DashboardActions.ReadFleet).WithName("ListProblems");

        api.MapPut("/{id}/acknowledgement", async Task<Results<Ok<ProblemResource>, ProblemHttpResult>> (
                string id, AcknowledgeRequest request, ClaimsPrincipal user, ClusterVisibility visibility, ProblemAcknowledgements acknowledgements, CancellationToken ct) =>
            {
                var visible = visibility.For(user);
                if (Find(visible, id) is not { } row)
                {
                    return NotFound(id);
                }
                if (visible.Refusal(DashboardActions.AcknowledgeProblems, row.Cluster, "acknowledge or snooze problems") is { } refused)
                {
                    return Refused(refused);
                }
                var snooze = request.SnoozeMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : (TimeSpan?)null;
                var problem = await acknowledgements.AcknowledgeAsync(user, row.Cluster, row.Key, request.Note, snooze, ct);
                return problem is null
                    ? TypedResults.Ok(ProblemResource.From(Find(visible, id) ?? row))
                    : TypedResults.Problem(detail: problem, statusCode: StatusCodes.Status400BadRequest, title: "The problem cannot be acknowledged");
            })
            .RequireAuthorization(DashboardActions.AcknowledgeProblems).WithName("AcknowledgeProblem");

        api.MapDelete("/{id}/acknowledgement", async Task<Results<NoContent, ProblemHttpResult>> (
                string id, ClaimsPrincipal user, ClusterVisibility visibility, ProblemAcknowledgements acknowledgements, CancellationToken ct) =>
            {
                var visible = visibility.For(user);
                if (Find(visible, id) is not { } row)
                {
                    return NotFound(id);
                }
                if (visible.Refusal(DashboardActions.AcknowledgeProblems, row.Cluster, "take back acknowledgements") is { } refused)
                {
                    return Refused(refused);
                }
                var problem = await acknowledgements.UnacknowledgeAsync(user, row.Cluster, row.Key, ct);
                return problem is null
                    ? TypedResults.NoContent()
                    : TypedResults.Problem(detail: problem, statusCode: StatusCodes.Status400BadRequest, title: "The acknowledgement cannot be taken back");
            })
            .RequireAuthorization(DashboardActions.AcknowledgeProblems).WithName("UnacknowledgeProblem");

        return endpoints;
    }

    private static ProblemGroup? Find(VisibleClusters visible, string id) =>
        visible.All<ProblemGroup>(FleetKind.Problem).FirstOrDefault(g => g.Id == id);

    /// <summary>A per-cluster role that does not allow it (a team's Viewer on this cluster, Operator elsewhere): 403, in words.</summary>
    private static ProblemHttpResult Refused(string refusal) =>
        TypedResults.Problem(detail: refusal, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed on this cluster");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"No open problem has the id '{id}': it may have gone away.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

/// <summary>Acknowledge with an optional note, or snooze for <see cref="SnoozeMinutes"/>.</summary>
public sealed record AcknowledgeRequest(string? Note, int? SnoozeMinutes);

public sealed record ProblemList(int Total, IReadOnlyList<ProblemResource> Problems);

/// <summary>One row of the Triage page: a problem, or the same problem of several replicas of one workload.</summary>
public sealed record ProblemResource(
    string Id,
    string Cluster,
    Severity Severity,
    string Rule,
    string Reason,
    string Kind,
    string? Owner,
    string? Namespace,
    string Name,
    string Message,
    int Count,
    DateTimeOffset Since,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    AcknowledgementResource? Acknowledgement,
    string Kubectl,
    string Link,
    IReadOnlyList<ProblemObjectResource> Objects)
{
    public static ProblemResource From(ProblemGroup row) => new(
        row.Id, row.Cluster, row.Severity, row.Rule, row.Reason, TriageView.KindOf(row), row.Owner, row.Namespace, row.Name, row.Message, row.Count,
        row.Since, row.FirstSeen, row.LastSeen,
        row.Acknowledgement is { } a ? new AcknowledgementResource(a.By, a.At, a.Note, a.SnoozedUntil) : null,
        TriageCommands.For(row), TriageLinks.For(row),
        [.. row.Problems.Select(p => new ProblemObjectResource(p.Kind, p.Namespace, p.Name, p.Message, p.Since, TriageLinks.For(p)))]);
}

public sealed record AcknowledgementResource(string By, DateTimeOffset At, string? Note, DateTimeOffset? SnoozedUntil);

public sealed record ProblemObjectResource(string Kind, string? Namespace, string Name, string Message, DateTimeOffset? Since, string Link);
