using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;
using MudBlazor;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Access;

namespace MultiCluster.Web.Components.Fleet;

/// <summary>
/// A page that stays live: it subscribes to the store when it starts, re-reads what it shows when changes
/// arrive (at most once per <see cref="RefreshInterval"/>, however fast they come), touches its state only
/// on the renderer's context, and cancels and awaits its loops when it goes away. It reads the fleet through
/// <see cref="Fleet"/>, the clusters its user may see, worked out afresh at every refresh (a grant given or taken shows
/// at the next change). While prerendering it reads once and follows nothing: the live work starts with the circuit.
/// A refresh that throws is said on screen and tried again; the page never stops updating silently.
/// </summary>
public abstract partial class LiveFleetComponent : ComponentBase, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _background = [];
    private FleetSubscription? _subscription;
    private Task _reading = Task.CompletedTask;
    private Task _refreshing = Task.CompletedTask;
    private int _dirty;
    private bool _failing;
    private bool _concernsFailing;
    private VisibleClusters? _fleet;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private ILogger<LiveFleetComponent> Logger { get; set; } = default!;

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

    /// <summary>True while <see cref="Refresh"/> runs because changes arrived, not because the person asked for something.</summary>
    protected bool IsLiveRefresh { get; private set; }

    /// <summary>
    /// Whether the page renders after a live refresh. A page whose refresh can tell that nothing it shows changed says
    /// false then, and a tick costs it a read instead of a render.
    /// </summary>
    protected virtual bool RenderAfterLiveRefresh => true;

    /// <summary>
    /// Whether a batch of changes may change what the page shows; called off the renderer's context, so it may read
    /// only what the page replaces whole (its current query, its current rows). Every batch does, unless a page knows better.
    /// </summary>
    protected virtual bool Concerns(FleetBatch batch) => true;

    /// <summary>False while prerendering: no subscription, no leases, nothing started that outlives the response.</summary>
    protected bool IsLive => RendererInfo.IsInteractive;

    /// <summary>Cancelled when the page goes away; for the page's own background work.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    protected override async Task OnInitializedAsync()
    {
        User = AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;
        if (!IsLive)
        {
            RefreshNow();
            return;
        }
        _subscription = Store.Subscribe(Filter, snapshot: false);
        RefreshNow();
        _reading = ReadAsync(_subscription, _stopping.Token);
        _refreshing = RefreshAsync(_stopping.Token);
    }

    /// <summary>
    /// Runs work the page starts itself (fetching a full object, reloading a table) until the page goes away: it
    /// gets <see cref="Stopping"/>, is awaited on dispose, and a failure is said on screen instead of lost.
    /// </summary>
    protected void RunInBackground(Func<CancellationToken, Task> work)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _background.RemoveAll(t => t.IsCompleted);
        _background.Add(InvokeAsync(async () =>
        {
            try
            {
                await work(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                Failed(ex);
            }
        }));
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
            await foreach (var batch in subscription.ReadBatchesAsync(cancellationToken))
            {
                if (Volatile.Read(ref _dirty) == 0 && ConcernsOrFailed(batch))
                {
                    Interlocked.Exchange(ref _dirty, 1);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A page whose test of a batch throws reads again rather than stop following the store.</summary>
    private bool ConcernsOrFailed(FleetBatch batch)
    {
        try
        {
            var concerns = Concerns(batch);
            _concernsFailing = false;
            return concerns;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Once per run of failures, not at every batch.
            if (!_concernsFailing)
            {
                _concernsFailing = true;
                LogConcernsFailed(Logger, GetType().Name, ex);
            }
            return true;
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
                    await InvokeAsync(RefreshAndRender);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void RefreshAndRender()
    {
        var render = true;
        try
        {
            IsLiveRefresh = true;
            See();
            render = RenderAfterLiveRefresh;
            if (_failing)
            {
                _failing = false;
                render = true;
                Snackbar.Add("The page is updating again.", Severity.Success);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Failed(ex);
            // Tried again at the next tick, changes or not.
            Interlocked.Exchange(ref _dirty, 1);
        }
        finally
        {
            IsLiveRefresh = false;
        }
        if (render)
        {
            StateHasChanged();
        }
    }

    private void Failed(Exception ex)
    {
        LogRefreshFailed(Logger, GetType().Name, ex);
        if (!_failing)
        {
            _failing = true;
            Snackbar.Add("This page could not update (an error in the dashboard, in its log). It shows what it last had and keeps trying.", Severity.Error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll([_reading, _refreshing, .. _background]);
        _subscription?.Dispose();
        await DisposeCoreAsync();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a page holds besides its subscription (leases on on-demand kinds).</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    [LoggerMessage(EventId = 3301, Level = LogLevel.Error, Message = "Page {Page} could not tell whether a change concerns it; it reads again")]
    private static partial void LogConcernsFailed(ILogger logger, string page, Exception ex);

    [LoggerMessage(EventId = 3300, Level = LogLevel.Error, Message = "Page {Page} could not update; it keeps trying")]
    private static partial void LogRefreshFailed(ILogger logger, string page, Exception ex);
}
