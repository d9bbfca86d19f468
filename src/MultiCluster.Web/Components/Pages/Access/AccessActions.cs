using MudBlazor;
using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Web.Access;

namespace MultiCluster.Web.Components.Pages.Access;

/// <summary>
/// Creating, changing and deleting teams and grants from any Access page: the editor or the confirmation, the save, and
/// a word of what happened. Each returns whether something changed; the server's refusal of a delete comes back in words.
/// </summary>
internal sealed class AccessActions(AccessPolicies policies, IDialogService dialogs, ISnackbar snackbar, AccessPermissions permissions)
{
    public async Task<bool> CreateTeamAsync(IReadOnlyList<string> templates)
    {
        if (await TeamEditor.ShowAsync(dialogs, permissions.User, null, membersOnly: false, templates) is not { } saved)
        {
            return false;
        }
        snackbar.Add($"Created team {saved.Name}; its grants bind the group {saved.KubernetesGroup()}.", Severity.Success);
        return true;
    }

    public async Task<bool> EditTeamAsync(Team team, IReadOnlyList<string> templates)
    {
        if (await TeamEditor.ShowAsync(dialogs, permissions.User, team, permissions.CanEditOnlyMembers(team), templates) is not { } saved)
        {
            return false;
        }
        snackbar.Add($"Saved team {saved.Name} (generation {saved.Generation}).", Severity.Success);
        return true;
    }

    /// <returns>Whether it was deleted, and the server's words when it refused.</returns>
    public async Task<(bool Deleted, string? Problem)> DeleteTeamAsync(Team team, int grants)
    {
        if (await dialogs.ShowMessageBoxAsync($"Delete team {team.Name}?", AccessView.DeleteTeamQuestion(team, grants), yesText: "Delete", cancelText: "Cancel") != true)
        {
            return (false, null);
        }
        if (await policies.DeleteTeamAsync(permissions.User, team.Name) is { } problem)
        {
            return (false, problem.Message);
        }
        snackbar.Add($"Deleted team {team.Name}.", Severity.Success);
        return (true, null);
    }

    public async Task<bool> SaveGrantAsync(AccessGrant? grant, string? team, IReadOnlyList<Team> teams, IReadOnlyList<string> templates)
    {
        if (await GrantEditor.ShowAsync(dialogs, permissions.User, grant, team, permissions.GrantTeams(teams), templates) is not { } saved)
        {
            return false;
        }
        snackbar.Add(grant is null
            ? $"Created grant {saved.Name}; the engine writes {saved.BindingName} wherever it reaches."
            : $"Saved grant {saved.Name} (generation {saved.Generation}).", Severity.Success);
        return true;
    }

    /// <returns>Whether it was deleted, and the server's words when it refused.</returns>
    public async Task<(bool Deleted, string? Problem)> DeleteGrantAsync(AccessGrant grant)
    {
        IReadOnlyCollection<PolicyTarget> targets = [.. policies.Targets(permissions.User, grant.Name)];
        if (await dialogs.ShowMessageBoxAsync($"Delete grant {grant.Name}?", AccessView.DeleteGrantQuestion(grant, targets), yesText: "Delete", cancelText: "Cancel") != true)
        {
            return (false, null);
        }
        if (await policies.DeleteGrantAsync(permissions.User, grant.Name) is { } problem)
        {
            return (false, problem.Message);
        }
        snackbar.Add($"Deleted grant {grant.Name}; its bindings leave the clusters as the engine gets to them.", Severity.Success);
        return (true, null);
    }
}

/// <summary>How the Access editors save: the dialog closes with what was stored, or stays open with why not.</summary>
internal static class AccessEditorSave
{
    /// <summary>Closes <paramref name="dialog"/> with the saved record and returns nothing, or returns the refusal's sentences.</summary>
    public static async Task<IReadOnlyList<string>> SaveAndCloseAsync<T>(this IMudDialogInstance dialog, Task<AccessSaveResult<T>> saving) where T : class
    {
        var result = await saving;
        if (result.Saved is { } saved)
        {
            dialog.Close(DialogResult.Ok(saved));
            return [];
        }
        return result.Problems;
    }
}
