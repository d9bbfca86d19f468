using Microsoft.AspNetCore.Authorization;

namespace MultiCluster.Web.Access;

/// <summary>A per-cluster action (DashboardActions.PerCluster): allowed to whoever may do it on some cluster; each use checks its own.</summary>
public sealed record ClusterActionRequirement(string Action) : IAuthorizationRequirement;

public sealed class ClusterActionHandler(ClusterVisibility visibility) : AuthorizationHandler<ClusterActionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ClusterActionRequirement requirement)
    {
        if (visibility.For(context.User).MayAnywhere(requirement.Action))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
