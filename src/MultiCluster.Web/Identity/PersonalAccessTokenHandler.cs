using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Identity;

/// <summary>
/// <c>Authorization: Bearer mcp_…</c> for the JSON API and the hub. The token stands for its user, with the
/// user's roles; a revoked or expired token is refused, and so is every token of a user who does not stand
/// (<see cref="UserStanding"/>: disabled, must change their password, single sign-on too old). Failed password
/// sign-ins never lock a token out.
/// </summary>
public sealed class PersonalAccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    PersonalAccessTokens tokens, UserStanding standing, IServiceScopeFactory scopes)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PersonalAccessToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = await tokens.FindActiveAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (token is null)
        {
            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var user = await users.FindByIdAsync(token.UserId);
        if (user is null)
        {
            return AuthenticateResult.Fail("The token's user was removed.");
        }
        if (standing.ProblemOf(user, viaToken: true) is { } problem)
        {
            return AuthenticateResult.Fail(problem);
        }
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<DashboardUser>>().CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(UserStanding.TokenIdClaim, token.Id.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
