using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MultiCluster.Core.Access;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Access;
using MultiCluster.Web.Components.Shared;

namespace MultiCluster.Web.Components.Pages.Access;

/// <summary>One grant: what it gives whom and where, and how each of its targets stands (<see cref="GrantTargets"/>, live).</summary>
public sealed partial class GrantDetail : IAsyncDisposable
{
    private AccessPermissions? _permissions;
    private AccessGrant? _grant;
    private Team? _team;
    private IReadOnlyList<Team> _teams = [];
    private IReadOnlyList<string> _templates = [];
    private IReadOnlyList<string> _beyond = [];
    private string? _refusal;
    private PolicyChanges? _changes;

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private AccessPolicies Policies { get; set; } = default!;

    [Inject]
    private AccessSource Source { get; set; } = default!;

    [Inject]
    private ClusterVisibility Visibility { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private AccessActions Actions => new(Policies, Dialogs, Snackbar, _permissions!);

    protected override void OnInitialized() =>
        // Changed or deleted elsewhere (a team admin, the API): the summary follows.
        _changes = new PolicyChanges(Source.Grants, () => InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        }));

    protected override async Task OnParametersSetAsync()
    {
        _permissions ??= new AccessPermissions((await AuthenticationState).User);
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        if (_permissions is not { } permissions)
        {
            return;
        }
        _teams = await Policies.TeamsAsync();
        _templates = [.. (await Policies.TemplatesAsync()).Select(t => t.Name)];
        _grant = permissions.Visible(await Policies.GrantsAsync(), _teams).SingleOrDefault(g => g.Name == Name);
        _team = _teams.SingleOrDefault(t => t.Name == _grant?.Team);
        _beyond = _grant is null || _team is null ? [] : AccessValidation.BeyondCeiling(_grant, _team, Visibility.For(permissions.User).Facts().Clusters);
    }

    private async Task EditAsync()
    {
        if (await Actions.SaveGrantAsync(_grant, null, _teams, _templates))
        {
            await ReloadAsync();
        }
    }

    private async Task DeleteAsync()
    {
        var (deleted, problem) = await Actions.DeleteGrantAsync(_grant!);
        _refusal = problem;
        if (deleted)
        {
            Navigation.NavigateTo(AccessLinks.Grants);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_changes is not null)
        {
            await _changes.DisposeAsync();
        }
    }
}
