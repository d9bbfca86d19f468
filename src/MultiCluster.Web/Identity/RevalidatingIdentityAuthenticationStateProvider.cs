using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using MultiCluster.Data;
using MultiCluster.Web.Health;

namespace MultiCluster.Web.Identity;

/// <summary>
/// A live circuit outlives its cookie check; every minute it checks that the user still stands (exists, not
/// disabled, same security stamp: no password change or reset since, same roles; see <see cref="UserStanding"/>).
/// While the registry does not answer, the circuit goes on for <see cref="RegistryOutage.CredentialGrace"/> after its
/// last good check (pages keep showing live state), then ends like one whose user no longer stands.
/// </summary>
internal sealed class RevalidatingIdentityAuthenticationStateProvider(ILoggerFactory loggerFactory, UserStanding standing, RegistryAvailability availability, TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    // The cookie was checked when the circuit opened.
    private DateTimeOffset _checkedAt = time.GetUtcNow();

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            var stands = await standing.RecheckAsync(authenticationState.User, cancellationToken) is null;
            _checkedAt = time.GetUtcNow();
            return stands;
        }
        catch (Exception ex) when (RegistryOutage.Explains(ex, availability))
        {
            return time.GetUtcNow() - _checkedAt <= RegistryOutage.CredentialGrace;
        }
    }
}
