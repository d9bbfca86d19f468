using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MultiCluster.Core;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.Components.Pages.Clusters;

public sealed partial class EditClusterDialog
{
    private string? _displayName;
    private string? _labels;
    private string? _problem;

    [Parameter]
    public Cluster Cluster { get; set; } = default!;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private ClusterRegistry Registry { get; set; } = default!;

    protected override void OnInitialized()
    {
        _displayName = Cluster.DisplayName;
        _labels = ClusterLabels.Format(Cluster.Labels);
    }

    private async Task SaveAsync()
    {
        var (labels, error) = ClusterLabels.Parse(_labels);
        _problem = error ?? await Registry.UpdateAsync((await AuthenticationState).User, Cluster.Name, _displayName ?? "", labels);
        if (_problem is null)
        {
            Dialog.Close(DialogResult.Ok(true));
        }
    }

    private void Cancel() => Dialog.Cancel();
}
