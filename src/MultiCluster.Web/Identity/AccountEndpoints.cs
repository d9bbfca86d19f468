using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Identity;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token, so a link on another site cannot sign anyone out.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (ClaimsPrincipal user, SignInManager<DashboardUser> signIn, AuditLog audit) =>
        {
            var name = AuditLog.ActorOf(user);
            await signIn.SignOutAsync();
            await audit.RecordAsync(name, AuditActions.SignOut, $"user/{name}", AuditOutcome.Succeeded);
            return TypedResults.LocalRedirect(SignInServiceCollectionExtensions.LoginPath);
        });
        return endpoints;
    }
}
