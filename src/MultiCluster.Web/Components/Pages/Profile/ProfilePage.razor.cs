using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MudBlazor;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Components.Pages.Profile;

public sealed partial class ProfilePage
{
    private IReadOnlyList<PersonalAccessToken> _tokens = [];
    private DashboardUser? _user;
    private string _userName = "";
    private string? _newName;
    private int _days = 30;
    private string? _created;
    private string? _problem;

    [Inject]
    private PersonalAccessTokens Tokens { get; set; } = default!;

    [Inject]
    private IServiceScopeFactory Scopes { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var principal = (await AuthenticationState).User;
        await using var scope = Scopes.CreateAsyncScope();
        _user = await scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>().GetUserAsync(principal);
        _userName = _user?.UserName ?? principal.Identity?.Name ?? "";
        await ReloadAsync();
    }

    private async Task ReloadAsync() => _tokens = _user is null ? [] : await Tokens.ListAsync(_user.Id);

    private async Task CreateAsync()
    {
        _problem = null;
        _created = null;
        if (_user is null)
        {
            return;
        }
        try
        {
            var created = await Tokens.CreateAsync(_user, _newName ?? "", TimeSpan.FromDays(_days), _userName);
            _created = created.Secret;
            _newName = null;
            await ReloadAsync();
        }
        catch (ArgumentException ex)
        {
            _problem = ex.Message.Split(" (Parameter", 2)[0];
        }
    }

    private async Task RevokeAsync(PersonalAccessToken token)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Revoke {token.Name}?",
            "Scripts using this token stop working at once. This cannot be undone.", yesText: "Revoke", cancelText: "Cancel");
        if (confirmed == true && _user is not null)
        {
            await Tokens.RevokeAsync(_user.Id, token.Id, _userName);
            await ReloadAsync();
        }
    }

    private string State(PersonalAccessToken token) =>
        token.RevokedAt is not null ? "revoked" : token.ExpiresAt <= Time.GetUtcNow() ? "expired" : "active";
}
