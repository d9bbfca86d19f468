using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Web.Hosting;

/// <summary>
/// Hands what the registry holds to an engine at start, at once when another replica says it changed (<see cref="Changed"/>,
/// from <see cref="RegistryFollowing"/>), and every 30 seconds: the safety net for a notification lost with its connection.
/// A read that fails leaves the engine with what it knew; before the first read it judges nothing, so nothing is deleted for
/// want of a registry.
/// </summary>
public abstract partial class RegistryMirror(TimeProvider time, ILogger logger, string what) : BackgroundService
{
    private static readonly TimeSpan Reread = TimeSpan.FromSeconds(30);

    private readonly ChangeSignal _changed = new();

    /// <summary>Reads the registry and hands the result to the engine.</summary>
    public abstract Task ReloadAsync(CancellationToken cancellationToken = default);

    /// <summary>The registry changed elsewhere: read it again now.</summary>
    public void Changed() => _changed.Notify();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var seen = _changed.Version;
            try
            {
                await ReloadAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogReloadFailed(logger, what, ex);
            }
            try
            {
                await _changed.WaitAsync(seen, stoppingToken).WaitAsync(Reread, time, stoppingToken);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Could not read the {What} from the registry; the engine goes on with those it knew")]
    private static partial void LogReloadFailed(ILogger logger, string what, Exception ex);
}
