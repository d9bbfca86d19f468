using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Core.Access;
using MultiCluster.Web.Access;

namespace MultiCluster.Web.Components.Pages.Access;

/// <summary>
/// Creates or changes a team: checked as it is typed, saved from the generation it started with. A team admin changes
/// the members only; the other fields show, disabled, with a note saying why. A refused save keeps the form as typed.
/// </summary>
public sealed partial class TeamEditor
{
    private TeamForm _form = default!;
    private Team _team = default!;
    private IReadOnlyList<string> _roles = [];
    private IReadOnlyList<string> _clusterNames = [];
    private IReadOnlyList<string> _problems = [];
    private IReadOnlyList<string> _refusal = [];
    private bool _touched;
    private bool _busy;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private AccessPolicies Policies { get; set; } = default!;

    [Inject]
    private ClusterVisibility Visibility { get; set; } = default!;

    /// <summary>The team to change; null to create one.</summary>
    [Parameter]
    public Team? Team { get; set; }

    [Parameter]
    public bool MembersOnly { get; set; }

    [Parameter, EditorRequired]
    public ClaimsPrincipal User { get; set; } = default!;

    /// <summary>The role templates' names, offered for the ceiling besides Kubernetes' roles.</summary>
    [Parameter]
    public IReadOnlyList<string> Templates { get; set; } = [];

    private string Hint => _problems.Count > 0 ? (_touched ? "Fix the problems listed to save." : "Name the team and its members.") : "";

    /// <summary>Opens the editor; the saved team, or null when nothing was saved.</summary>
    public static async Task<Team?> ShowAsync(IDialogService dialogs, ClaimsPrincipal user, Team? team, bool membersOnly, IReadOnlyList<string> templates)
    {
        var parameters = new DialogParameters<TeamEditor>
        {
            { e => e.Team, team }, { e => e.MembersOnly, membersOnly }, { e => e.User, user }, { e => e.Templates, templates },
        };
        // Clicking beside the dialog must not throw away what was typed.
        var options = new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = false, BackdropClick = false };
        var dialog = await dialogs.ShowAsync<TeamEditor>(team is null ? "Create team" : $"Edit team {team.Name}", parameters, options);
        return await dialog.Result is { Canceled: false, Data: Team saved } ? saved : null;
    }

    protected override void OnInitialized()
    {
        _form = Team is null ? TeamForm.Create() : TeamForm.Edit(Team, MembersOnly);
        _roles = [.. AccessGrant.BuiltInRoles, .. Templates.Order(StringComparer.Ordinal)];
        _clusterNames = [.. Visibility.For(User).Facts().Clusters.Select(c => c.Name).Union(_form.Clusters).Order(StringComparer.Ordinal)];
        _touched = Team is not null;
        Evaluate();
    }

    private void Changed()
    {
        _touched = true;
        Evaluate();
    }

    private void Evaluate()
    {
        _team = _form.ToTeam();
        _problems = _form.Problems();
    }

    private void RolesChanged(IEnumerable<string?>? roles)
    {
        _form.Roles = [.. (roles ?? []).OfType<string>()];
        Changed();
    }

    private void ClustersChanged(IEnumerable<string?>? clusters)
    {
        _form.Clusters = [.. (clusters ?? []).OfType<string>()];
        Changed();
    }

    private void AddMember()
    {
        _form.Members.Add(new MemberRow());
        Changed();
    }

    private void RemoveMember(MemberRow member)
    {
        _form.Members.Remove(member);
        Changed();
    }

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            _refusal = await Dialog.SaveAndCloseAsync(Policies.SaveTeamAsync(User, _form.ToTeam(), _form.Generation));
        }
        finally
        {
            _busy = false;
        }
    }

    private void Cancel() => Dialog.Cancel();
}
