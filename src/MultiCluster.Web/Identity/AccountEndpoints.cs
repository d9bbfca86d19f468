using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Identity;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token, so a link on another site cannot sign anyone out.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async Task<IResult> (HttpContext context, ClaimsPrincipal user, SignInManager<DashboardUser> signIn, AuditLog audit, IAntiforgery antiforgery) =>
        {
            // Checked here whatever the request's content type: the antiforgery middleware only looks at form posts.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return TypedResults.BadRequest("Sign-out needs the form's antiforgery token; use the Sign out button.");
            }
            var name = AuditLog.ActorOf(user);
            await signIn.SignOutAsync();
            await audit.RecordAsync(name, AuditActions.SignOut, $"user/{name}", AuditOutcome.Succeeded);
            return TypedResults.LocalRedirect(SignInServiceCollectionExtensions.LoginPath);
        }).RequireAuthorization(DashboardActions.OwnAccount);
        return endpoints;
    }
}
