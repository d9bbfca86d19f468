using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MultiCluster.Core.Triage;
using MultiCluster.Web.Triage;

namespace MultiCluster.Web.Components.Pages.Triage;

public sealed partial class AcknowledgeDialog
{
    private bool _snooze;
    private TimeSpan _snoozeFor = ProblemAcknowledgements.SnoozeChoices[1];
    private string? _note;
    private string? _problem;
    private bool _saving;

    [Parameter]
    public ProblemGroup Row { get; set; } = default!;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private ProblemAcknowledgements Acknowledgements { get; set; } = default!;

    private async Task SaveAsync()
    {
        _saving = true;
        try
        {
            var user = (await AuthenticationState).User;
            _problem = await Acknowledgements.AcknowledgeAsync(user, Row.Cluster, Row.Key, _note, _snooze ? _snoozeFor : null);
        }
        finally
        {
            _saving = false;
        }
        if (_problem is null)
        {
            Dialog.Close(DialogResult.Ok(_snooze ? $"Snoozed {Row.Reason} {Row.Name} for {Describe(_snoozeFor)}." : $"Acknowledged {Row.Reason} {Row.Name}."));
        }
    }

    private void Cancel() => Dialog.Cancel();

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{span.TotalDays:0} day{(span.TotalDays >= 2 ? "s" : "")}" :
        span.TotalHours >= 1 ? $"{span.TotalHours:0} hour{(span.TotalHours >= 2 ? "s" : "")}" :
        $"{span.TotalMinutes:0} minutes";
}
