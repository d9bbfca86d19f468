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

    protected override void OnInitialized() => Input ??= new();

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
