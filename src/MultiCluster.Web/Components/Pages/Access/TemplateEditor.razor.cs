using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Core.Access;
using MultiCluster.Web.Access;

namespace MultiCluster.Web.Components.Pages.Access;

/// <summary>
/// Creates or changes a role template: rules as rows, checked as they are typed, saved from the generation it started with.
/// A refused save keeps the form as typed.
/// </summary>
public sealed partial class TemplateEditor
{
    private TemplateForm _form = default!;
    private IReadOnlyList<string> _problems = [];
    private IReadOnlyList<string> _refusal = [];
    private bool _touched;
    private bool _busy;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private AccessPolicies Policies { get; set; } = default!;

    /// <summary>The template to change; null to create one.</summary>
    [Parameter]
    public RoleTemplate? Template { get; set; }

    [Parameter, EditorRequired]
    public ClaimsPrincipal User { get; set; } = default!;

    private string Hint => _problems.Count > 0 ? (_touched ? "Fix the problems listed to save." : "Name the template and give it a rule.") : "";

    /// <summary>Opens the editor; the saved template, or null when nothing was saved.</summary>
    public static async Task<RoleTemplate?> ShowAsync(IDialogService dialogs, ClaimsPrincipal user, RoleTemplate? template)
    {
        var parameters = new DialogParameters<TemplateEditor> { { e => e.Template, template }, { e => e.User, user } };
        // Clicking beside the dialog must not throw away what was typed.
        var options = new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = false, BackdropClick = false };
        var dialog = await dialogs.ShowAsync<TemplateEditor>(template is null ? "Create role template" : $"Edit role template {template.Name}", parameters, options);
        return await dialog.Result is { Canceled: false, Data: RoleTemplate saved } ? saved : null;
    }

    protected override void OnInitialized()
    {
        _form = Template is null ? TemplateForm.Create() : TemplateForm.Edit(Template);
        _touched = Template is not null;
        Evaluate();
    }

    private void Changed()
    {
        _touched = true;
        Evaluate();
    }

    private void Evaluate() => _problems = _form.Problems();

    private void AddRule()
    {
        _form.Rules.Add(new RuleRow());
        Changed();
    }

    private void RemoveRule(RuleRow rule)
    {
        _form.Rules.Remove(rule);
        Changed();
    }

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            _refusal = await Dialog.SaveAndCloseAsync(Policies.SaveTemplateAsync(User, _form.ToTemplate(), _form.Generation));
        }
        finally
        {
            _busy = false;
        }
    }

    private void Cancel() => Dialog.Cancel();
}
