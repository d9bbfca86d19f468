using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;
using MultiCluster.Web.Access;

namespace MultiCluster.Web.Components.Pages.Access;

/// <summary>
/// Creates or changes a grant of a team the user administers: checked as it is typed, the team's ceiling included (the
/// registry's own sentences), with what it reaches now; saved from the generation it started with. A refused save keeps
/// the form as typed.
/// </summary>
public sealed partial class GrantEditor
{
    private GrantForm _form = default!;
    private (IReadOnlyList<ClusterFacts> Clusters, IReadOnlyList<NamespaceFacts> Namespaces) _facts = ([], []);
    private IReadOnlyList<string> _roles = [];
    private IReadOnlyList<string> _clusterNames = [];
    private IReadOnlyList<string> _problems = [];
    private IReadOnlyList<string> _beyond = [];
    private IReadOnlyList<string> _refusal = [];
    private Team? _team;
    private string _reach = "";
    private bool _touched;
    private bool _busy;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private AccessPolicies Policies { get; set; } = default!;

    [Inject]
    private ClusterVisibility Visibility { get; set; } = default!;

    /// <summary>The grant to change; null to create one.</summary>
    [Parameter]
    public AccessGrant? Grant { get; set; }

    /// <summary>The team a new grant starts with.</summary>
    [Parameter]
    public string? Team { get; set; }

    /// <summary>The teams the user may manage grants of.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<Team> Teams { get; set; } = [];

    [Parameter]
    public IReadOnlyList<string> Templates { get; set; } = [];

    [Parameter, EditorRequired]
    public ClaimsPrincipal User { get; set; } = default!;

    private bool CanSave => !_busy && _problems.Count == 0 && _beyond.Count == 0;

    private string Hint =>
        _beyond.Count > 0 ? "Narrow the grant to what the team's ceiling allows, or ask an Administrator to raise the ceiling."
        : _problems.Count > 0 ? (_touched ? "Fix the problems listed to save." : "Name the grant and choose its team, role and namespaces.")
        : "";

    /// <summary>Opens the editor; the saved grant, or null when nothing was saved.</summary>
    public static async Task<AccessGrant?> ShowAsync(IDialogService dialogs, ClaimsPrincipal user, AccessGrant? grant, string? team, IReadOnlyList<Team> teams,
        IReadOnlyList<string> templates)
    {
        var parameters = new DialogParameters<GrantEditor>
        {
            { e => e.Grant, grant }, { e => e.Team, team ?? (teams.Count == 1 ? teams[0].Name : null) }, { e => e.Teams, teams }, { e => e.Templates, templates },
            { e => e.User, user },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = false, BackdropClick = false };
        var dialog = await dialogs.ShowAsync<GrantEditor>(grant is null ? "Create grant" : $"Edit grant {grant.Name}", parameters, options);
        return await dialog.Result is { Canceled: false, Data: AccessGrant saved } ? saved : null;
    }

    protected override void OnInitialized()
    {
        _form = Grant is null ? GrantForm.Create(Team) : GrantForm.Edit(Grant);
        _facts = Visibility.For(User).Facts();
        _roles = [.. AccessGrant.BuiltInRoles, .. Templates.Order(StringComparer.Ordinal)];
        _touched = Grant is not null;
        Evaluate();
    }

    private void Changed()
    {
        _touched = true;
        Evaluate();
    }

    private void Evaluate()
    {
        _team = Teams.FirstOrDefault(t => t.Name == _form.Team);
        // A team admin may see no cluster; the ceiling's own clusters are offered anyway.
        _clusterNames = [.. _facts.Clusters.Select(c => c.Name).Union(_team?.Ceiling.Clusters ?? []).Union(_form.Clusters).Order(StringComparer.Ordinal)];
        _problems = _form.Problems(Templates);
        _beyond = _form.BeyondCeiling(_team, _facts.Clusters);
        _reach = AccessView.ReachText(_form.Reach(_team, _facts.Clusters, _facts.Namespaces), _form.ClusterWide, _facts.Clusters.Count);
    }

    private void ClustersChanged(IEnumerable<string?>? clusters)
    {
        _form.Clusters = [.. (clusters ?? []).OfType<string>()];
        Changed();
    }

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            _refusal = await Dialog.SaveAndCloseAsync(Policies.SaveGrantAsync(User, _form.ToGrant(), _form.Generation));
        }
        finally
        {
            _busy = false;
        }
    }

    private void Cancel() => Dialog.Cancel();
}
