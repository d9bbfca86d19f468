using System.Security.Claims;
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
internal sealed class RevalidatingIdentityAuthenticationStateProvider : RevalidatingServerAuthenticationStateProvider
{
    private readonly UserStanding _standing;
    private readonly RegistryAvailability _availability;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    // The cookie was checked when the circuit opened.
    private DateTimeOffset _checkedAt;

    public RevalidatingIdentityAuthenticationStateProvider(ILoggerFactory loggerFactory, UserStanding standing, RegistryAvailability availability, TimeProvider time)
        : base(loggerFactory)
    {
        (_standing, _availability, _time) = (standing, availability, time);
        _checkedAt = time.GetUtcNow();
        _ = RecheckOnAccountChangesAsync(_stopping.Token);
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        try
        {
            var stands = await _standing.RecheckAsync(authenticationState.User, cancellationToken) is null;
            _checkedAt = _time.GetUtcNow();
            return stands;
        }
        catch (Exception ex) when (RegistryOutage.Explains(ex, _availability))
        {
            return _time.GetUtcNow() - _checkedAt <= RegistryOutage.CredentialGrace;
        }
    }

    /// <summary>
    /// Besides the minute's check: when an account changed in the registry (here, on another replica, or by the admin
    /// console), check at once, and end the circuit's sign-in as the minute's check would.
    /// </summary>
    private async Task RecheckOnAccountChangesAsync(CancellationToken stopping)
    {
        try
        {
            var seen = _standing.AccountsChanged.Version;
            while (true)
            {
                await _standing.AccountsChanged.WaitAsync(seen, stopping);
                seen = _standing.AccountsChanged.Version;
                try
                {
                    var state = await GetAuthenticationStateAsync();
                    if (state.User.Identity?.IsAuthenticated == true && !await ValidateAuthenticationStateAsync(state, stopping))
                    {
                        SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // No state yet, or the registry failed to answer: the minute's check covers it, and says so in the log.
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
        base.Dispose(disposing);
    }
}
