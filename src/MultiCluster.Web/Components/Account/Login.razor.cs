using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Health;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Components.Account;

public sealed partial class Login
{
    private string? _error;

    [Inject]
    private SignInManager<DashboardUser> SignIn { get; set; } = default!;

    [Inject]
    private AuditLog Audit { get; set; } = default!;

    [Inject]
    private SignInThrottle Throttle { get; set; } = default!;

    [Inject]
    private IPasswordHasher<DashboardUser> Hasher { get; set; } = default!;

    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    [Inject]
    private IHostEnvironment Environment { get; set; } = default!;

    /// <summary>
    /// Outside Development the session cookie is Secure: a browser on plain HTTP (other than to localhost) drops it, and
    /// signing in would silently lead back here. Say so instead.
    /// </summary>
    private bool CookieWillNotStick =>
        HttpContext is { Request: { IsHttps: false } request } && !Environment.IsDevelopment()
        && !(request.Host.Host is "localhost" || (System.Net.IPAddress.TryParse(request.Host.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip)));

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromForm]
    private LoginInput? Input { get; set; }

    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    [SupplyParameterFromQuery(Name = "error")]
    private string? Error { get; set; }

    [Inject]
    private OidcSettings Sso { get; set; } = default!;

    [Inject]
    private RegistryAvailability Availability { get; set; } = default!;

    private string SsoHref => $"{SingleSignOn.LoginPath.TrimStart('/')}?returnUrl={Uri.EscapeDataString(LocalUrl.OrHome(ReturnUrl))}";

    protected override void OnInitialized()
    {
        Input ??= new();
        _error ??= Error switch
        {
            "sso" => "Single sign-on did not complete. Try again, or sign in with a local account.",
            "sso-name-taken" => "Your single sign-on name belongs to a local account here; ask an administrator to link or rename it.",
            "sso-name-reserved" => "Your single sign-on name is reserved for the dashboard itself; ask an administrator.",
            "disabled" => "This account is disabled. Ask an administrator.",
            _ => Availability.IsReachable ? null : RegistryOutage.SignIn(Availability.UnreachableSince),
        };
    }

    /// <summary>The accounts live in the registry: while it does not answer, the form says so instead of failing.</summary>
    private async Task SignInAsync()
    {
        try
        {
            await CheckAndSignInAsync();
        }
        catch (Exception ex) when (RegistryOutage.Explains(ex, Availability))
        {
            _error = RegistryOutage.SignIn(Availability.UnreachableSince);
        }
    }

    private async Task CheckAndSignInAsync()
    {
        var userName = Input!.UserName.Trim();
        var address = SignInThrottle.AddressOf(HttpContext);
        if (!Throttle.TryAttempt(address))
        {
            Throttle.NoteThrottled(address);
            _error = "Too many sign-in attempts from your address. Wait a minute, then try again.";
            return;
        }
        var user = await SignIn.UserManager.FindByNameAsync(userName);
        if (user?.PasswordHash is null)
        {
            // An unknown name, or an account that signs in through single sign-on only: the same answer after the same
            // work (one password hash), so the form does not tell which names exist.
            Hasher.VerifyHashedPassword(new DashboardUser(), UnusedHash.Value, Input.Password);
            Fail(address, userName);
            return;
        }
        if (user.DisabledAt is not null)
        {
            if ((await SignIn.CheckPasswordSignInAsync(user, Input.Password, lockoutOnFailure: false)).Succeeded)
            {
                _error = "This account is disabled. Ask an administrator.";
                await Audit.RecordAsync(userName, AuditActions.SignIn, $"user/{userName}", AuditOutcome.Denied, "account disabled");
                return;
            }
            Fail(address, userName);
            return;
        }
        var result = await SignIn.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: false);
        if (!result.Succeeded)
        {
            Fail(address, userName);
            return;
        }
        await Audit.RecordAsync(userName, AuditActions.SignIn, $"user/{userName}", AuditOutcome.Succeeded);
        var next = LocalUrl.OrHome(ReturnUrl);
        Navigation.NavigateTo(user.MustChangePassword
            ? $"{PasswordChangeGate.ChangePasswordPath}?returnUrl={Uri.EscapeDataString(next)}"
            : next);
    }

    /// <summary>Counted against the address and logged with it; audited later as one entry with the others.</summary>
    private void Fail(string address, string userName)
    {
        Throttle.NoteFailure(address, userName);
        _error = "The user name or password is not right.";
    }

    private static readonly Lazy<string> UnusedHash = new(() => new PasswordHasher<DashboardUser>().HashPassword(new DashboardUser(), Guid.NewGuid().ToString()));

    private sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your user name.")]
        [MaxLength(256, ErrorMessage = "A user name is at most 256 characters.")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = "";
    }
}
