using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
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
    private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromForm]
    private LoginInput? Input { get; set; }

    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    [SupplyParameterFromQuery(Name = "error")]
    private string? Error { get; set; }

    [Inject]
    private OidcSettings Sso { get; set; } = default!;

    private string SsoHref => $"{SingleSignOn.LoginPath.TrimStart('/')}?returnUrl={Uri.EscapeDataString(LocalUrl.OrHome(ReturnUrl))}";

    protected override void OnInitialized()
    {
        Input ??= new();
        _error ??= Error switch
        {
            "sso" => "Single sign-on did not complete. Try again, or sign in with a local account.",
            "sso-name-taken" => "Your single sign-on name belongs to a local account here; ask an administrator to link or rename it.",
            "locked" => "This account is locked. Ask an administrator.",
            _ => null,
        };
    }

    private async Task SignInAsync()
    {
        var userName = Input!.UserName.Trim();
        var result = await SignIn.PasswordSignInAsync(userName, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await Audit.RecordAsync(userName, AuditActions.SignIn, $"user/{userName}", AuditOutcome.Succeeded);
            var user = await SignIn.UserManager.FindByNameAsync(userName);
            var next = LocalUrl.OrHome(ReturnUrl);
            Navigation.NavigateTo(user?.MustChangePassword == true
                ? $"{PasswordChangeGate.ChangePasswordPath}?returnUrl={Uri.EscapeDataString(next)}"
                : next);
            return;
        }
        _error = result.IsLockedOut
            ? "This account is locked after repeated failed sign-ins. Try again in a few minutes, or ask an administrator."
            : "The user name or password is not right.";
        await Audit.RecordAsync(userName, AuditActions.SignIn, $"user/{userName}", AuditOutcome.Failed,
            result.IsLockedOut ? "locked out" : "wrong user name or password");
    }

    private sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your user name.")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = "";
    }
}
