using Microsoft.AspNetCore.Components;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Web.Components.Fleet;

/// <summary>
/// A page that stays live: it subscribes to the store when it starts, re-reads what it shows when changes
/// arrive (at most once per <see cref="RefreshInterval"/>, however fast they come), touches its state only
/// on the renderer's context, and cancels and awaits its loops when it goes away.
/// </summary>
public abstract class LiveFleetComponent : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private FleetSubscription? _subscription;
    private Task _reading = Task.CompletedTask;
    private Task _refreshing = Task.CompletedTask;
    private int _dirty;

    [Inject]
    protected FleetStateStore Store { get; set; } = default!;

    /// <summary>What the page follows; the store sends only these changes.</summary>
    protected abstract FleetFilter Filter { get; }

    protected virtual TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(250);

    /// <summary>Re-reads what the page shows from the store.</summary>
    protected abstract void Refresh();

    protected override void OnInitialized()
    {
        _subscription = Store.Subscribe(Filter);
        Refresh();
        _reading = ReadAsync(_subscription, _stopping.Token);
        _refreshing = RefreshAsync(_stopping.Token);
    }

    /// <summary>Re-reads now, for a change the page made itself (a filter, a page number).</summary>
    protected void RefreshNow()
    {
        Interlocked.Exchange(ref _dirty, 0);
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
                        Refresh();
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
