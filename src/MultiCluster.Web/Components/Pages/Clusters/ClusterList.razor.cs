using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MultiCluster.Core;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Access;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.Components.Pages.Clusters;

public sealed partial class ClusterList : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _following;
    private IReadOnlyList<Cluster>? _clusters;

    /// <summary>The registry's change version when <see cref="_clusters"/> was last read: a change after it is still to be shown.</summary>
    private long _readAt;
    private IReadOnlyList<Cluster> _visible = [];
    private string? _search;
    private string? _selector;
    private string? _selectorError;
    private VisibleClusters? _viewer;

    [Inject]
    private ClusterRegistry Registry { get; set; } = default!;

    [Inject]
    private ClusterVisibility Visibility { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private RegistryChanges Changes { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override Task OnInitializedAsync() => ReloadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        // Live once interactive (not while prerendering): a cluster registered elsewhere (another person, a vCluster made) shows without a reload.
        if (firstRender)
        {
            _following = FollowAsync(_stopping.Token);
        }
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        // From the version the list was read at, not the one now: the first render goes to the browser and back before
        // this starts, and a cluster registered meanwhile (the demo's vClusters, as a person signs in) would never show.
        var seen = _readAt;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Changes.WaitAsync(seen, TimeSpan.FromMinutes(1), cancellationToken);
                if (Changes.Version != seen)
                {
                    seen = Changes.Version;
                    try
                    {
                        await InvokeAsync(async () =>
                        {
                            await ReloadAsync();
                            StateHasChanged();
                        });
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The registry could not be read just now: the list stays as it was until the next change.
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_following is not null)
        {
            await _following.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _stopping.Dispose();
    }

    private async Task ReloadAsync()
    {
        var visible = Visibility.For(await UserAsync());
        _viewer = visible;
        // Before reading: a change made while the list is read counts as not shown yet.
        var version = Changes.Version;
        _clusters = [.. (await Registry.ListAsync()).Where(c => visible.CanSee(c.Name))];
        _readAt = version;
        ApplyFilter();
    }

    private void ApplyFilter()
    {
        var (selector, error) = LabelSelector.Parse(_selector);
        _selectorError = error;
        _visible = ClusterListFilter.Apply(_clusters ?? [], _search, selector);
    }

    private async Task RegisterAsync()
    {
        var dialog = await Dialogs.ShowAsync<RegisterClusterDialog>("Register clusters", new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: IReadOnlyList<string> names })
        {
            Snackbar.Add($"Registered {string.Join(", ", names)}.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task EditAsync(Cluster cluster)
    {
        var parameters = new DialogParameters<EditClusterDialog> { { d => d.Cluster, cluster } };
        var dialog = await Dialogs.ShowAsync<EditClusterDialog>($"Edit {cluster.Name}", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add($"Saved {cluster.Name}.", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task RemoveAsync(Cluster cluster)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Remove {cluster.Name}?",
            $"The dashboard stops watching {cluster.Name} and deletes its stored credentials. The cluster itself is not touched. This cannot be undone.",
            yesText: "Remove", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }
        var problem = await Registry.RemoveAsync(await UserAsync(), cluster.Name);
        Snackbar.Add(problem ?? $"Removed {cluster.Name}.", problem is null ? Severity.Success : Severity.Error);
        await ReloadAsync();
    }

    private async Task TestAsync(Cluster cluster)
    {
        var result = await Registry.TestAsync(await UserAsync(), cluster.Name);
        if (result is null)
        {
            Snackbar.Add($"{cluster.Name} is no longer registered.", Severity.Warning);
        }
        else
        {
            Snackbar.Add(result.Succeeded ? $"{cluster.Name} answers: Kubernetes {result.KubernetesVersion}." : $"{cluster.Name}: {result.Problem}",
                result.Succeeded ? Severity.Success : Severity.Error);
            if (result.Warning is { } warning)
            {
                Snackbar.Add($"{cluster.Name}: {warning}", Severity.Warning);
            }
        }
        await ReloadAsync();
    }

    private async Task<ClaimsPrincipal> UserAsync() => (await AuthenticationState).User;
}
