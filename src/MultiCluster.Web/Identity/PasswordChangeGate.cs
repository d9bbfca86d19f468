using Microsoft.AspNetCore.Authorization;

namespace MultiCluster.Web.Identity;

/// <summary>A user whose password must change (the bootstrap admin, after a reset) can do nothing else first.</summary>
public sealed class PasswordChangeGate(RequestDelegate next)
{
    public const string ChangePasswordPath = "/account/change-password";

    public Task InvokeAsync(HttpContext context)
    {
        var mustChange = context.User.HasClaim(DashboardClaimsPrincipalFactory.MustChangePasswordClaim, "true");
        var open = context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        if (!mustChange || open || context.Request.Path.StartsWithSegments("/account"))
        {
            return next(context);
        }
        if (SignInServiceCollectionExtensions.IsForMachines(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }
        context.Response.Redirect(ChangePasswordPath);
        return Task.CompletedTask;
    }
}
