using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace MultiCluster.Web.Access;

/// <summary>
/// Lets a team's dashboard role on a cluster satisfy an action's roles on a route that names that cluster
/// (<c>/clusters/{cluster}/…</c>, page or endpoint), as a fleet-wide role does everywhere. Routes without a cluster are
/// left to the fleet-wide roles alone: they show the whole fleet, and checking them per cluster is each page's work.
/// </summary>
public sealed class ClusterRoleAuthorization(ClusterVisibility visibility) : AuthorizationHandler<RolesAuthorizationRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RolesAuthorizationRequirement requirement)
    {
        if (ClusterOf(context.Resource) is { } cluster && visibility.For(context.User).RoleOn(cluster) is { } role && requirement.AllowedRoles.Contains(role))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }

    /// <summary>The route's cluster: an endpoint's request or a page's route data.</summary>
    private static string? ClusterOf(object? resource) => resource switch
    {
        HttpContext http => http.GetRouteValue("cluster") as string,
        Microsoft.AspNetCore.Components.RouteData page => page.RouteValues.FirstOrDefault(v => string.Equals(v.Key, "cluster", StringComparison.OrdinalIgnoreCase)).Value as string,
        _ => null,
    };
}
