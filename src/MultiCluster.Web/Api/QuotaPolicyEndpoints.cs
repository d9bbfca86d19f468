using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Web.Identity;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Web.Api;

/// <summary>
/// <c>/api/v1/quota-policies</c>: the Quotas page for tools. Everyone with a role reads policies, previews and targets;
/// only Administrators create, change, delete and repair. The live feed of targets is the hub's <c>policytargets</c> kind.
/// </summary>
public static class QuotaPolicyEndpoints
{
    public static IEndpointRouteBuilder MapQuotaPolicyApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/quota-policies").RequireAuthorization(DashboardPolicies.Api).WithTags("MultiCluster");

        api.MapGet("/", async (ClaimsPrincipal user, QuotaPolicies policies, CancellationToken ct) =>
            {
                var targets = policies.Targets(user).ToList();
                return TypedResults.Ok((await policies.ListAsync(user, ct)).Select(p => QuotaPolicyResource.From(p, targets)).ToList());
            })
            .RequireAuthorization(DashboardActions.ReadFleet).WithName("ListQuotaPolicies");

        api.MapGet("/{name}", async Task<Results<Ok<QuotaPolicyResource>, ProblemHttpResult>> (string name, ClaimsPrincipal user, QuotaPolicies policies, CancellationToken ct) =>
                await policies.FindAsync(user, name, ct) is { } policy ? TypedResults.Ok(QuotaPolicyResource.From(policy, policies.Targets(user, name))) : NotFound(name))
            .RequireAuthorization(DashboardActions.ReadFleet).WithName("GetQuotaPolicy");

        api.MapPut("/{name}", async Task<Results<Ok<QuotaPolicyResource>, Created<QuotaPolicyResource>, ProblemHttpResult>> (
                string name, QuotaPolicyBody body, ClaimsPrincipal user, QuotaPolicies policies, CancellationToken ct) =>
            {
                var result = await policies.SaveAsync(user, body.ToPolicy(name), body.Generation, ct);
                if (result.Policy is not { } saved)
                {
                    return Refused(result);
                }
                var resource = QuotaPolicyResource.From(saved, policies.Targets(user, name));
                return body.Generation is null ? TypedResults.Created($"/api/v1/quota-policies/{name}", resource) : TypedResults.Ok(resource);
            })
            .RequireAuthorization(DashboardActions.ManageQuotas).WithName("SaveQuotaPolicy")
            .WithDescription("Creates the policy (no generation given) or updates it from the generation given; refused with the problems, or with the overlapping namespaces.");

        api.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, ClaimsPrincipal user, QuotaPolicies policies, CancellationToken ct) =>
                await policies.DeleteAsync(user, name, ct) is { } problem ? NotFound(name, problem) : TypedResults.NoContent())
            .RequireAuthorization(DashboardActions.ManageQuotas).WithName("DeleteQuotaPolicy");

        api.MapPost("/{name}/preview", async (string name, QuotaPolicyBody body, ClaimsPrincipal user, QuotaPolicies policies, CancellationToken ct) =>
            {
                var candidate = body.ToPolicy(name);
                return TypedResults.Ok(QuotaPreviewResource.From(QuotaPolicyValidation.Validate(candidate), await policies.PreviewAsync(user, candidate, ct)));
            })
            .RequireAuthorization(DashboardActions.ReadFleet).WithName("PreviewQuotaPolicy")
            .WithDescription("What saving this policy would do: targets, objects to create, update and delete, overlaps, namespaces already over a new limit. Nothing is saved.");

        api.MapGet("/{name}/targets", async Task<Results<Ok<List<QuotaPolicyTargetResource>>, ProblemHttpResult>> (
                string name, string? cluster, string? @namespace, TargetStatus? status, ClaimsPrincipal user, QuotaPolicies policies, CancellationToken ct) =>
                await policies.FindAsync(user, name, ct) is null
                    ? NotFound(name)
                    : TypedResults.Ok(policies.Targets(user, name)
                        .Where(t => (cluster is null || t.Cluster == cluster) && (@namespace is null || t.Namespace == @namespace) && (status is null || t.Status == status))
                        .OrderBy(t => t.Cluster, StringComparer.Ordinal).ThenBy(t => t.Namespace, StringComparer.Ordinal)
                        .Select(QuotaPolicyTargetResource.From).ToList()))
            .RequireAuthorization(DashboardActions.ReadFleet).WithName("ListQuotaPolicyTargets");

        api.MapPost("/{name}/targets/{cluster}/{namespace}/repair", Results<Accepted, ProblemHttpResult> (
                string name, string cluster, string @namespace, ClaimsPrincipal user, QuotaPolicies policies) =>
                policies.Repair(user, name, cluster, @namespace) is { } problem ? NotFound(name, problem) : TypedResults.Accepted((string?)null))
            .RequireAuthorization(DashboardActions.ManageQuotas).WithName("RepairQuotaPolicyTarget")
            .WithDescription("Writes the target's objects now, also when the policy only informs.");

        return endpoints;
    }

    private static ProblemHttpResult Refused(QuotaPolicySaveResult result) =>
        result.Overlaps.Count > 0
            ? TypedResults.Problem(detail: string.Join(" ", result.Problems), statusCode: StatusCodes.Status409Conflict, title: "The policy overlaps another",
                extensions: new Dictionary<string, object?> { ["overlaps"] = result.Overlaps })
            : result.Problems.Any(p => p.Contains("changed by someone else", StringComparison.Ordinal))
                ? TypedResults.Problem(detail: string.Join(" ", result.Problems), statusCode: StatusCodes.Status409Conflict, title: "The policy changed meanwhile")
                : TypedResults.Problem(detail: string.Join(" ", result.Problems), statusCode: StatusCodes.Status400BadRequest, title: "The policy is not valid",
                    extensions: new Dictionary<string, object?> { ["problems"] = result.Problems });

    private static ProblemHttpResult NotFound(string name, string? detail = null) =>
        TypedResults.Problem(detail: detail ?? $"There is no quota policy named '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
