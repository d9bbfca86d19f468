using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Web.Identity;

/// <summary>
/// Whether a user's credentials still stand: one answer for tokens, cookies, circuits and hub streams. A disabled
/// account stands nowhere; a token does not stand for an account that must change its password; a single sign-on
/// account stands for <see cref="OidcSettings.MaxAge"/> after its last sign-in through the provider.
/// </summary>
public sealed class UserStanding(TimeProvider time, OidcSettings sso, IServiceScopeFactory scopes)
{
    /// <summary>On a token's principal: which token, so a long-lived stream can tell when it was revoked.</summary>
    public const string TokenIdClaim = "mc:token_id";

    /// <summary>
    /// Moves when accounts, their roles or tokens changed in the registry (told by PostgreSQL's notifications, so also for
    /// a change made on another replica or by the admin console): what outlives its sign-in checks again at once rather
    /// than at its next interval.
    /// </summary>
    public ChangeSignal AccountsChanged { get; } = new();

    /// <summary>Null when <paramref name="user"/> may go on; otherwise why not, in plain words.</summary>
    public string? ProblemOf(DashboardUser user, bool viaToken)
    {
        if (user.DisabledAt is not null)
        {
            return "The account is disabled; ask an administrator.";
        }
        if (viaToken && user.MustChangePassword)
        {
            return "The account must choose a new password first, and choosing it revokes its tokens: sign in, choose it, then make a new token (automation: use a service account).";
        }
        if (user.SingleSignOnAt is { } at && time.GetUtcNow() - at > sso.MaxAge)
        {
            return $"The account's last single sign-on is more than {sso.MaxAge.TotalHours:0.#} hours old: sign in through single sign-on again.";
        }
        return null;
    }

    /// <summary>
    /// For what outlives its sign-in (a circuit, a hub stream): null while <paramref name="principal"/> still stands,
    /// otherwise why it ended. Reads the registry.
    /// </summary>
    public async Task<string?> RecheckAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return "The account was removed.";
        }
        var tokenId = principal.FindFirstValue(TokenIdClaim);
        if (tokenId is not null)
        {
            if (!Guid.TryParse(tokenId, out var id) || !await scope.ServiceProvider.GetRequiredService<PersonalAccessTokens>().IsActiveAsync(id, cancellationToken))
            {
                return "The token was revoked or has expired.";
            }
        }
        else if (users.SupportsUserSecurityStamp)
        {
            var stampType = scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
            if (principal.FindFirstValue(stampType) != await users.GetSecurityStampAsync(user))
            {
                return "The session ended: the password changed, or the account was signed out everywhere.";
            }
        }
        if (ProblemOf(user, viaToken: tokenId is not null) is { } problem)
        {
            return problem;
        }
        var roles = await users.GetRolesAsync(user);
        var lost = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Where(r => !roles.Contains(r)).ToList();
        return lost.Count > 0 ? $"The account is no longer {string.Join(" or ", lost)}; connect again." : null;
    }
}
