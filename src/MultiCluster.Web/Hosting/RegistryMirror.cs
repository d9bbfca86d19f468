namespace MultiCluster.Web.Hosting;

/// <summary>
/// Hands what the registry holds to an engine at start and again every 30 seconds: the safety net for changes made
/// elsewhere (the admin console, another replica). A read that fails leaves the engine with what it knew; before the
/// first read it judges nothing, so nothing is deleted for want of a registry.
/// </summary>
public abstract partial class RegistryMirror(TimeProvider time, ILogger logger, string what) : BackgroundService
{
    private static readonly TimeSpan Reread = TimeSpan.FromSeconds(30);

    /// <summary>Reads the registry and hands the result to the engine.</summary>
    public abstract Task ReloadAsync(CancellationToken cancellationToken = default);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
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
                await Task.Delay(Reread, time, stoppingToken);
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
