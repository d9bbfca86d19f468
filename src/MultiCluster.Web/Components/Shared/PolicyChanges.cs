using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Web.Components.Shared;

/// <summary>
/// Calls back whenever what a source of the engine follows may have changed (quota policies, teams and grants: a save on
/// this page or another, on the API, or the registry re-read), so a page shows a change made elsewhere without a reload.
/// Owned by one page, which disposes it (cancelling and awaiting the loop) when it goes away.
/// </summary>
internal sealed class PolicyChanges : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _following;

    /// <param name="changed">Re-reads what the page shows; it runs on the page's renderer (the page's InvokeAsync).</param>
    public PolicyChanges(IReconcileSource source, Func<Task> changed) => _following = FollowAsync(source, changed, _stopping.Token);

    private static async Task FollowAsync(IReconcileSource source, Func<Task> changed, CancellationToken cancellationToken)
    {
        var seen = source.Version;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await source.WaitForChangeAsync(seen, cancellationToken);
                seen = source.Version;
                await changed();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The registry did not answer: the page keeps what it shows, and the next change reads again.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _following;
        _stopping.Dispose();
    }
}
