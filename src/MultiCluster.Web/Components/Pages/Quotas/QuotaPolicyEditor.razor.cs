using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Web.Components.Pages.Quotas;

/// <summary>
/// Creates or changes a quota policy: checked as it is typed (the API server's words), shown as the objects it writes,
/// previewed against the fleet, then saved from the generation it started with. A refused save keeps the form as typed.
/// </summary>
public sealed partial class QuotaPolicyEditor
{
    private QuotaPolicyForm _form = default!;
    private (IReadOnlyList<ClusterFacts> Clusters, IReadOnlyList<NamespaceFacts> Namespaces) _facts = ([], []);
    private IReadOnlyList<string> _clusterNames = [];
    private IReadOnlyList<string> _problems = [];
    private IReadOnlyList<string> _refusal = [];
    private (int Namespaces, int Clusters) _reach;
    private string _yaml = "";
    private QuotaPreview? _preview;
    private bool _previewCurrent;
    private bool _touched;
    private bool _busy;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private QuotaPolicies Policies { get; set; } = default!;

    /// <summary>The policy to change; null to create one.</summary>
    [Parameter]
    public QuotaPolicy? Policy { get; set; }

    [Parameter, EditorRequired]
    public ClaimsPrincipal User { get; set; } = default!;

    private bool CanSave => !_busy && _problems.Count == 0 && _previewCurrent && _preview is { Overlaps.Count: 0 };

    private string Hint =>
        _problems.Count > 0 ? (_touched ? "Fix the problems listed to preview and save." : "Fill in a name and a hard limit or a container default.")
        : !_previewCurrent ? "Preview shows what saving does; Save comes after it."
        : _preview is { Overlaps.Count: > 0 } ? "Another policy of the same priority writes some of these namespaces."
        : "";

    /// <summary>Opens the editor; the saved policy, or null when nothing was saved.</summary>
    public static async Task<QuotaPolicy?> ShowAsync(IDialogService dialogs, ClaimsPrincipal user, QuotaPolicy? policy)
    {
        var parameters = new DialogParameters<QuotaPolicyEditor> { { e => e.Policy, policy }, { e => e.User, user } };
        // Clicking beside the dialog must not throw away what was typed.
        var options = new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = false, BackdropClick = false };
        var dialog = await dialogs.ShowAsync<QuotaPolicyEditor>(policy is null ? "Create quota policy" : $"Edit quota policy {policy.Name}", parameters, options);
        return await dialog.Result is { Canceled: false, Data: QuotaPolicy saved } ? saved : null;
    }

    protected override void OnInitialized()
    {
        _form = Policy is null ? QuotaPolicyForm.Create() : QuotaPolicyForm.Edit(Policy);
        _facts = Policies.Facts(User);
        _clusterNames = [.. _facts.Clusters.Select(c => c.Name).Union(_form.Clusters).Order(StringComparer.Ordinal)];
        _touched = Policy is not null;
        Evaluate();
    }

    private void Changed()
    {
        _touched = true;
        Evaluate();
    }

    private void Evaluate()
    {
        var policy = _form.ToPolicy();
        _problems = _form.Problems();
        _yaml = QuotaYaml.Of(policy);
        var targets = QuotaPlanner.Targets(policy, _facts.Clusters, _facts.Namespaces);
        _reach = (targets.Count, targets.Select(t => t.Cluster).Distinct(StringComparer.Ordinal).Count());
        _previewCurrent = false;
    }

    private void ClustersChanged(IEnumerable<string?>? clusters)
    {
        _form.Clusters = [.. (clusters ?? []).OfType<string>()];
        Changed();
    }

    private void AddHard()
    {
        _form.Hard.Add(new HardLimit());
        Changed();
    }

    private void RemoveHard(HardLimit limit)
    {
        _form.Hard.Remove(limit);
        Changed();
    }

    private async Task PreviewAsync()
    {
        _busy = true;
        try
        {
            _preview = await Policies.PreviewAsync(User, _form.ToPolicy());
            _previewCurrent = true;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            var result = await Policies.SaveAsync(User, _form.ToPolicy(), _form.Generation);
            if (result.Saved)
            {
                Dialog.Close(DialogResult.Ok(result.Policy));
                return;
            }
            _refusal = result.Problems;
        }
        finally
        {
            _busy = false;
        }
    }

    private void Cancel() => Dialog.Cancel();
}
