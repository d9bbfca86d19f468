using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Health;

namespace MultiCluster.Web.Identity;

/// <summary>
/// <c>Authorization: Bearer mcp_…</c> for the JSON API and the hub. The token stands for its user, with the
/// user's roles; a revoked or expired token is refused, and so is every token of a user who does not stand
/// (<see cref="UserStanding"/>: disabled, must change their password, single sign-on too old). Failed password
/// sign-ins never lock a token out. While the registry does not answer, a token it confirmed in the last few minutes
/// still reads (<see cref="VerifiedTokens"/>); any other request waits for the registry (503).
/// </summary>
public sealed class PersonalAccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    PersonalAccessTokens tokens, UserStanding standing, IServiceScopeFactory scopes, VerifiedTokens verified, RegistryAvailability availability)
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
        var secret = header["Bearer ".Length..].Trim();
        var hash = PersonalAccessTokens.Hash(secret);
        try
        {
            return await VerifyAsync(secret, hash);
        }
        catch (Exception ex) when (RegistryOutage.Explains(ex, availability) && VerifiedTokens.MayServe(Request) && verified.Recall(hash) is { } claims)
        {
            return Success(claims);
        }
    }

    private async Task<AuthenticateResult> VerifyAsync(string secret, string hash)
    {
        var token = await tokens.FindActiveAsync(secret, Context.RequestAborted);
        if (token is null)
        {
            verified.Forget(hash);
            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var user = await users.FindByIdAsync(token.UserId);
        if (user is null)
        {
            verified.Forget(hash);
            return AuthenticateResult.Fail("The token's user was removed.");
        }
        if (standing.ProblemOf(user, viaToken: true) is { } problem)
        {
            verified.Forget(hash);
            return AuthenticateResult.Fail(problem);
        }
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<DashboardUser>>().CreateAsync(user);
        List<Claim> claims = [.. principal.Claims, new Claim(UserStanding.TokenIdClaim, token.Id.ToString())];
        var result = Success(claims);
        verified.Remember(hash, result.Principal!, token.ExpiresAt);
        return result;
    }

    private static AuthenticateResult Success(IEnumerable<Claim> claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role)), SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
