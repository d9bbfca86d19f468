using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Kubernetes.VirtualClusters;
using MultiCluster.Web.VirtualClusters;

namespace MultiCluster.Web.Components.Pages.VirtualClusters;

/// <summary>
/// Deletes a vCluster after showing what goes (the service's deletion plan) and having its name typed; a refusal (its
/// non-deletable mark, the person's role) is shown instead of the Delete button.
/// </summary>
public sealed partial class DeleteVirtualClusterDialog : IDisposable
{
    private readonly CancellationTokenSource _closing = new();
    private bool _loading = true;
    private DeletionPlan? _plan;
    private string? _refused;
    private string? _typed;
    private bool _deleting;
    private string? _failure;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private VirtualClusterService Service { get; set; } = default!;

    [Parameter, EditorRequired]
    public ClaimsPrincipal User { get; set; } = default!;

    [Parameter, EditorRequired]
    public VirtualClusterRow Row { get; set; } = default!;

    private bool Confirmed => string.Equals(_typed?.Trim(), Row.Name, StringComparison.Ordinal);

    /// <summary>Opens the confirmation; true when the vCluster was deleted.</summary>
    public static async Task<bool> ShowAsync(IDialogService dialogs, ClaimsPrincipal user, VirtualClusterRow row)
    {
        var parameters = new DialogParameters<DeleteVirtualClusterDialog> { { d => d.User, user }, { d => d.Row, row } };
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };
        var dialog = await dialogs.ShowAsync<DeleteVirtualClusterDialog>($"Delete vCluster {row.Name}?", parameters, options);
        return await dialog.Result is { Canceled: false };
    }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            var (plan, refused) = await Service.PlanDeletionAsync(User, Row.Host, Row.Namespace, Row.Name, _closing.Token);
            (_plan, _refused) = (plan, refused?.Problem);
        }
        catch (OperationCanceledException)
        {
            // Closed while looking: nothing to show.
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task DeleteAsync()
    {
        if (!Confirmed || _deleting)
        {
            return;
        }
        _deleting = true;
        _failure = null;
        try
        {
            // Not tied to the dialog: once started, a delete runs to its end even if the page goes away.
            var outcome = await Service.DeleteAsync(User, Row.Host, Row.Namespace, Row.Name);
            if (outcome.Succeeded)
            {
                Dialog.Close(DialogResult.Ok(true));
                return;
            }
            _failure = outcome.Problem;
        }
        finally
        {
            _deleting = false;
        }
    }

    private void Cancel() => Dialog.Cancel();

    public void Dispose()
    {
        _closing.Cancel();
        _closing.Dispose();
    }
}
