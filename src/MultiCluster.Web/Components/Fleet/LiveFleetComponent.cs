using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Access;

namespace MultiCluster.Web.Components.Fleet;

/// <summary>
/// A page that stays live: it subscribes to the store when it starts, re-reads what it shows when changes
/// arrive (at most once per <see cref="RefreshInterval"/>, however fast they come), touches its state only
/// on the renderer's context, and cancels and awaits its loops when it goes away. It reads the fleet through
/// <see cref="Fleet"/>, the clusters its user may see, worked out afresh at every refresh (a grant given or taken shows
/// at the next change).
/// </summary>
public abstract class LiveFleetComponent : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private FleetSubscription? _subscription;
    private Task _reading = Task.CompletedTask;
    private Task _refreshing = Task.CompletedTask;
    private int _dirty;
    private VisibleClusters? _fleet;

    [Inject]
    private FleetStateStore Store { get; set; } = default!;

    [Inject]
    private ClusterVisibility Visibility { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The signed-in user (anonymous until the page has started).</summary>
    protected ClaimsPrincipal User { get; private set; } = new();

    /// <summary>The fleet as <see cref="User"/> may see it, as of the last refresh.</summary>
    protected VisibleClusters Fleet => _fleet ??= Visibility.For(User);

    /// <summary>What the page follows; the store sends only these changes.</summary>
    protected abstract FleetFilter Filter { get; }

    protected virtual TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(250);

    /// <summary>Re-reads what the page shows from the store.</summary>
    protected abstract void Refresh();

    protected override async Task OnInitializedAsync()
    {
        User = AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;
        _subscription = Store.Subscribe(Filter);
        RefreshNow();
        _reading = ReadAsync(_subscription, _stopping.Token);
        _refreshing = RefreshAsync(_stopping.Token);
    }

    /// <summary>Re-reads now, for a change the page made itself (a filter, a page number).</summary>
    protected void RefreshNow()
    {
        Interlocked.Exchange(ref _dirty, 0);
        See();
    }

    private void See()
    {
        _fleet = Visibility.For(User);
        Refresh();
    }

    private async Task ReadAsync(FleetSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in subscription.ReadBatchesAsync(cancellationToken))
            {
                Interlocked.Exchange(ref _dirty, 1);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(RefreshInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (Interlocked.Exchange(ref _dirty, 0) == 1)
                {
                    await InvokeAsync(() =>
                    {
                        See();
                        StateHasChanged();
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_reading, _refreshing);
        _subscription?.Dispose();
        await DisposeCoreAsync();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a page holds besides its subscription (leases on on-demand kinds).</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;
}
