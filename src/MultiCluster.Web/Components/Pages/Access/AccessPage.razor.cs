using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MultiCluster.Core.Access;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Access;
using MultiCluster.Web.Components.Shared;

namespace MultiCluster.Web.Components.Pages.Access;

/// <summary>
/// Teams and grants. The lists come from the registry and follow changes made elsewhere (<see cref="PolicyChanges"/>);
/// the grants' target counts follow the fleet store (<see cref="GrantList"/>).
/// </summary>
public sealed partial class AccessPage
{
    private AccessPermissions? _permissions;
    private IReadOnlyList<Team> _allTeams = [];
    private IReadOnlyList<Team> _teams = [];
    private IReadOnlyList<TeamRow> _teamRows = [];
    private IReadOnlyList<AccessGrant> _grants = [];
    private IReadOnlyList<Team> _grantTeams = [];
    private IReadOnlyList<string> _templates = [];
    private IReadOnlyList<TemplateRow> _templateRows = [];
    private string? _refusal;
    private int _tab;
    private PolicyChanges? _changes;

    [Inject]
    private AccessPolicies Policies { get; set; } = default!;

    [Inject]
    private AccessSource Source { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary><c>grants</c> opens the Grants tab.</summary>
    [SupplyParameterFromQuery(Name = "tab")]
    public string? TabParameter { get; set; }

    private AccessActions Actions => new(Policies, Dialogs, Snackbar, _permissions!);

    protected override void OnInitialized()
    {
        _tab = string.Equals(TabParameter, "grants", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        _changes = new PolicyChanges(Source.Grants, () => InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        }));
    }

    protected override async Task OnInitializedAsync()
    {
        _permissions = new AccessPermissions((await AuthenticationState).User);
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        if (_permissions is not { } permissions)
        {
            return;
        }
        _allTeams = await Policies.TeamsAsync();
        var grants = await Policies.GrantsAsync();
        var templates = await Policies.TemplatesAsync();
        _templates = [.. templates.Select(t => t.Name)];
        _templateRows = RoleTemplateView.Rows(templates, grants);
        _teams = permissions.Visible(_allTeams);
        _grants = permissions.Visible(grants, _allTeams);
        _teamRows = AccessView.Teams(_teams, grants);
        _grantTeams = permissions.GrantTeams(_allTeams);
    }

    private async Task CreateTeamAsync()
    {
        if (await Actions.CreateTeamAsync(_templates))
        {
            await ReloadAsync();
        }
    }

    private async Task EditTeamAsync(Team team)
    {
        if (await Actions.EditTeamAsync(team, _templates))
        {
            await ReloadAsync();
        }
    }

    private async Task DeleteTeamAsync(TeamRow row)
    {
        var (deleted, problem) = await Actions.DeleteTeamAsync(row.Team, row.Grants);
        _refusal = problem;
        if (deleted)
        {
            await ReloadAsync();
        }
    }

    private async Task CreateGrantAsync(string? team = null)
    {
        if (await Actions.SaveGrantAsync(null, team, _allTeams, _templates))
        {
            _tab = 1;
            await ReloadAsync();
        }
    }

    private async Task EditGrantAsync(AccessGrant grant)
    {
        if (await Actions.SaveGrantAsync(grant, null, _allTeams, _templates))
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
