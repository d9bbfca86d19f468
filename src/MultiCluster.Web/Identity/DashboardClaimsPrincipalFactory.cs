using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Identity;

/// <summary>Adds the dashboard's own facts about a user to the sign-in cookie.</summary>
public sealed class DashboardClaimsPrincipalFactory(
    UserManager<DashboardUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<DashboardUser, IdentityRole>(users, roles, options)
{
    public const string MustChangePasswordClaim = "mc:must_change_password";

    /// <summary>When the user last signed in through single sign-on (Unix seconds): a session ends when it is too old.</summary>
    public const string SingleSignOnAtClaim = "mc:sso_at";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(DashboardUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(MustChangePasswordClaim, "true"));
        }
        if (user.SingleSignOnAt is { } at)
        {
            identity.AddClaim(new Claim(SingleSignOnAtClaim, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return identity;
    }
}
