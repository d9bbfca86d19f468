using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace MultiCluster.Web.Identity;

/// <summary>
/// A live circuit outlives its cookie check; every minute it checks that the user still stands (exists, not
/// disabled, same security stamp: no password change or reset since, same roles; see <see cref="UserStanding"/>).
/// </summary>
internal sealed class RevalidatingIdentityAuthenticationStateProvider(ILoggerFactory loggerFactory, UserStanding standing)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        await standing.RecheckAsync(authenticationState.User, cancellationToken) is null;
}
