using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Components.Account;

public sealed partial class ChangePassword
{
    private string? _error;
    private bool _mustChange;

    [Inject]
    private SignInManager<DashboardUser> SignIn { get; set; } = default!;

    [Inject]
    private AccountPasswords Passwords { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm]
    private ChangePasswordInput? Input { get; set; }

    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    protected override async Task OnInitializedAsync()
    {
        Input ??= new();
        _mustChange = (await SignIn.UserManager.GetUserAsync(HttpContext.User))?.MustChangePassword == true;
    }

    private async Task ChangeAsync()
    {
        var user = await SignIn.UserManager.GetUserAsync(HttpContext.User);
        if (user is null)
        {
            Navigation.NavigateTo(SignInServiceCollectionExtensions.LoginPath);
            return;
        }
        _error = await Passwords.ChangeAsync(user, Input!.CurrentPassword, Input.NewPassword);
        if (_error is not null)
        {
            return;
        }
        await SignIn.RefreshSignInAsync(user);
        Navigation.NavigateTo(LocalUrl.OrHome(ReturnUrl));
    }

    private sealed class ChangePasswordInput
    {
        [Required(ErrorMessage = "Enter the password you signed in with.")]
        public string CurrentPassword { get; set; } = "";

        [Required(ErrorMessage = "Choose a new password.")]
        [MinLength(12, ErrorMessage = "Use at least 12 characters.")]
        public string NewPassword { get; set; } = "";

        [Compare(nameof(NewPassword), ErrorMessage = "The two new passwords differ.")]
        public string ConfirmPassword { get; set; } = "";
    }
}
