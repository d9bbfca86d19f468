using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiCluster.Core.Access;
using MultiCluster.Data;
using MultiCluster.Web.Access;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Api;

/// <summary>
/// <c>/api/v1/teams</c>, <c>/api/v1/grants</c>, <c>/api/v1/role-templates</c>: teams and what they may do in the clusters.
/// Every role reads; Administrators manage teams, ceilings and templates; a team's admins manage its members and grants
/// within its ceiling (checked on the server, every refusal in words). An update names the generation it was read at
/// (<c>?generation=N</c>); a save over a newer one is refused. Grant targets stream on the hub as <c>policytargets</c>.
/// </summary>
public static class AccessEndpoints
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder endpoints)
    {
        var teams = endpoints.MapGroup("/api/v1/teams").RequireAuthorization(DashboardPolicies.Api).WithTags("MultiCluster");
        // Readers of access see every team and grant; a team's admins and members theirs (and so no other team's clusters).
        teams.MapGet("/", async (ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) => TypedResults.Ok(new AccessPermissions(user).Visible(await access.TeamsAsync(ct))))
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("ListTeams");
        teams.MapGet("/{name}", async Task<Results<Ok<Team>, ProblemHttpResult>> (string name, ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
                new AccessPermissions(user).Visible(await access.TeamsAsync(ct)).SingleOrDefault(t => t.Name == name) is { } team ? TypedResults.Ok(team) : NotFound("team", name))
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("GetTeam");
        teams.MapPut("/{name}", async Task<Results<Ok<Team>, ProblemHttpResult>> (string name, Team body, long? generation, ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
                Outcome(await access.SaveTeamAsync(user, body with { Name = name }, generation, ct)))
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("SaveTeam")
            .WithDescription("Administrators create and change teams; a team's admins change its members only.");
        teams.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
                Deleted(await access.DeleteTeamAsync(user, name, ct)))
            .RequireAuthorization(DashboardActions.ManageTeams).WithName("DeleteTeam");

        var grants = endpoints.MapGroup("/api/v1/grants").RequireAuthorization(DashboardPolicies.Api).WithTags("MultiCluster");
        grants.MapGet("/", async (ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
            {
                var targets = access.Targets(user).ToList();
                return TypedResults.Ok((await VisibleGrantsAsync(user, access, ct)).Select(g => GrantResource.Of(g, targets)).ToList());
            })
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("ListGrants");
        grants.MapGet("/{name}", async Task<Results<Ok<GrantResource>, ProblemHttpResult>> (string name, ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
                (await VisibleGrantsAsync(user, access, ct)).SingleOrDefault(g => g.Name == name) is { } grant
                    ? TypedResults.Ok(GrantResource.Of(grant, access.Targets(user, name)))
                    : NotFound("grant", name))
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("GetGrant");
        grants.MapPut("/{name}", async Task<Results<Ok<AccessGrant>, ProblemHttpResult>> (string name, AccessGrant body, long? generation, ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
                Outcome(await access.SaveGrantAsync(user, body with { Name = name }, generation, ct)))
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("SaveGrant")
            .WithDescription("Administrators and the team's admins; refused beyond the team's ceiling, saying which part it crosses.");
        grants.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
                Deleted(await access.DeleteGrantAsync(user, name, ct)))
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("DeleteGrant");
        grants.MapGet("/{name}/targets", async Task<Results<Ok<List<QuotaPolicyTargetResource>>, ProblemHttpResult>> (string name, ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
                (await VisibleGrantsAsync(user, access, ct)).Any(g => g.Name == name)
                    ? TypedResults.Ok(access.Targets(user, name).OrderBy(t => t.Cluster, StringComparer.Ordinal).ThenBy(t => t.Namespace, StringComparer.Ordinal)
                        .Select(QuotaPolicyTargetResource.From).ToList())
                    : NotFound("grant", name))
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("ListGrantTargets");

        grants.MapPost("/{name}/targets/{cluster}/repair", async Task<Results<Accepted, ProblemHttpResult>> (
                string name, string cluster, string? @namespace, ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
                await access.RepairAsync(user, name, cluster, @namespace, ct) is { } problem
                    ? TypedResults.Problem(detail: problem.Message, statusCode: StatusOf(problem.Refusal), title: "Not repaired")
                    : TypedResults.Accepted((string?)null))
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("RepairGrantTarget")
            .WithDescription("Writes the target's binding now (?namespace=…; none for a cluster-wide grant), also when the grant only informs.");

        grants.MapGet("/unmanaged", (ClaimsPrincipal user, AccessPolicies access) => TypedResults.Ok(access.Unmanaged(user)))
            .RequireAuthorization(DashboardActions.ReadAccess).WithName("ListUnmanagedGrants")
            .WithDescription("Bindings not made by the dashboard that name a team's groups or a dashboard user: access given behind its back.");

        var reviews = endpoints.MapGroup("/api/v1/access-reviews").RequireAuthorization(DashboardPolicies.Api).WithTags("MultiCluster");
        reviews.MapPost("/who-can", Results<Ok<IReadOnlyList<AllowedSubject>>, ProblemHttpResult> (WhoCanRequest request, ClaimsPrincipal user, AccessPolicies access) =>
                string.IsNullOrWhiteSpace(request.Verb) || string.IsNullOrWhiteSpace(request.Resource) || request.Clusters.Count == 0
                    ? TypedResults.Problem(detail: "Name the clusters, a verb and a resource (for example get pods/log).", statusCode: StatusCodes.Status400BadRequest, title: "Incomplete question")
                    : TypedResults.Ok(access.WhoCan(user, request.Clusters, new AccessQuestion(request.Verb, request.Resource, request.Subresource, request.ApiGroup ?? "", request.Namespace, request.Name))))
            .RequireAuthorization(DashboardActions.ReadAccess).WithName("WhoCan")
            .WithDescription("Every subject the clusters' RoleBindings and ClusterRoleBindings (ours and others) allow to do this, with the binding that allows it.");
        reviews.MapPost("/can-i", AccessReviewEndpoints.CanIAsync).RequireAuthorization(DashboardActions.ReadFleet).WithName("CanI")
            .WithDescription("Per cluster the reader sees (or the clusters named), the cluster's SubjectAccessReview for a person's impersonated identity; a cluster that cannot be asked says why.");

        var templates = endpoints.MapGroup("/api/v1/role-templates").RequireAuthorization(DashboardPolicies.Api).WithTags("MultiCluster");
        // Templates name no cluster: every signed-in user may read them (team admins grant them).
        templates.MapGet("/", async (AccessPolicies access, CancellationToken ct) => TypedResults.Ok(await access.TemplatesAsync(ct)))
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("ListRoleTemplates");
        templates.MapGet("/{name}", async Task<Results<Ok<RoleTemplate>, ProblemHttpResult>> (string name, AccessPolicies access, CancellationToken ct) =>
                (await access.TemplatesAsync(ct)).SingleOrDefault(t => t.Name == name) is { } template ? TypedResults.Ok(template) : NotFound("role template", name))
            .RequireAuthorization(DashboardActions.AdministerTeam).WithName("GetRoleTemplate");
        templates.MapPut("/{name}", async Task<Results<Ok<RoleTemplate>, ProblemHttpResult>> (string name, RoleTemplate body, long? generation, ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
                Outcome(await access.SaveTemplateAsync(user, body with { Name = name }, generation, ct)))
            .RequireAuthorization(DashboardActions.ManageTeams).WithName("SaveRoleTemplate");
        templates.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
                Deleted(await access.DeleteTemplateAsync(user, name, ct)))
            .RequireAuthorization(DashboardActions.ManageTeams).WithName("DeleteRoleTemplate");
        return endpoints;
    }

    private static Results<Ok<T>, ProblemHttpResult> Outcome<T>(AccessSaveResult<T> result) where T : class =>
        result.Saved is { } saved
            ? TypedResults.Ok(saved)
            : TypedResults.Problem(detail: string.Join(" ", result.Problems), statusCode: StatusOf(result.Refusal),
                title: "Not saved", extensions: new Dictionary<string, object?> { ["problems"] = result.Problems });

    private static async Task<IReadOnlyList<AccessGrant>> VisibleGrantsAsync(ClaimsPrincipal user, AccessPolicies access, CancellationToken ct) =>
        new AccessPermissions(user).Visible(await access.GrantsAsync(ct), await access.TeamsAsync(ct));

    private static ProblemHttpResult NotFound(string what, string name) =>
        TypedResults.Problem(detail: $"There is no {what} named '{name}' that you may see.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static Results<NoContent, ProblemHttpResult> Deleted(AccessProblem? problem) =>
        problem is null ? TypedResults.NoContent() : TypedResults.Problem(detail: problem.Message, statusCode: StatusOf(problem.Refusal), title: "Not deleted");

    private static int StatusOf(AccessRefusal refusal) => refusal switch
    {
        AccessRefusal.Forbidden => StatusCodes.Status403Forbidden,
        AccessRefusal.NotFound => StatusCodes.Status404NotFound,
        AccessRefusal.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };
}

/// <summary>"Who can get pods/log in team-a of prod-eu?"</summary>
public sealed record WhoCanRequest(IReadOnlyList<string> Clusters, string Verb, string Resource, string? Subresource, string? ApiGroup, string? Namespace, string? Name);

/// <summary>A grant with how its targets stand, counted per status.</summary>
public sealed record GrantResource(AccessGrant Grant, IReadOnlyDictionary<Core.Reconcile.TargetStatus, int> Statuses)
{
    public static GrantResource Of(AccessGrant grant, IEnumerable<Core.Reconcile.PolicyTarget> targets) =>
        new(grant, targets.Where(t => t.Owner == grant.Name).GroupBy(t => t.Status).ToDictionary(s => s.Key, s => s.Count()));
}
