using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MultiCluster.Core.Access;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Access;
using MultiCluster.Web.Components.Shared;

namespace MultiCluster.Web.Components.Pages.Access;

/// <summary>One team: its members, its ceiling and its grants (their targets counted live).</summary>
public sealed partial class TeamDetail : IAsyncDisposable
{
    private AccessPermissions? _permissions;
    private Team? _team;
    private IReadOnlyList<Team> _teams = [];
    private IReadOnlyList<AccessGrant> _grants = [];
    private IReadOnlyList<string> _templates = [];
    private string? _refusal;
    private PolicyChanges? _changes;

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private AccessPolicies Policies { get; set; } = default!;

    [Inject]
    private AccessSource Source { get; set; } = default!;

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
        _team = permissions.Visible(_teams).SingleOrDefault(t => t.Name == Name);
        _grants = _team is null ? [] : [.. (await Policies.GrantsAsync()).Where(g => g.Team == Name)];
    }

    private async Task EditAsync()
    {
        if (await Actions.EditTeamAsync(_team!, _templates))
        {
            await ReloadAsync();
        }
    }

    private async Task DeleteAsync()
    {
        var (deleted, problem) = await Actions.DeleteTeamAsync(_team!, _grants.Count);
        _refusal = problem;
        if (deleted)
        {
            Navigation.NavigateTo(AccessLinks.Teams);
        }
    }

    private async Task CreateGrantAsync()
    {
        if (await Actions.SaveGrantAsync(null, Name, _teams, _templates))
        {
            await ReloadAsync();
        }
    }

    private async Task EditGrantAsync(AccessGrant grant)
    {
        if (await Actions.SaveGrantAsync(grant, null, _teams, _templates))
        {
            await ReloadAsync();
        }
    }

    private async Task DeleteGrantAsync(AccessGrant grant)
    {
        var (deleted, problem) = await Actions.DeleteGrantAsync(grant);
        _refusal = problem;
        if (deleted)
        {
            await ReloadAsync();
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
