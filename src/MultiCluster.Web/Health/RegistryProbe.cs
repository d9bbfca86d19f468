using Microsoft.EntityFrameworkCore;
using MultiCluster.Data;

namespace MultiCluster.Web.Health;

/// <summary>
/// Asks the registry whether it answers, every <see cref="ReachableInterval"/> while it does and every
/// <see cref="UnreachableInterval"/> while it does not, so the banner appears on a page that reads nothing from it and
/// clears by itself once it answers again. Requests that use the registry report sooner (<see cref="RegistryAvailability"/>).
/// </summary>
internal sealed partial class RegistryProbe(IDbContextFactory<RegistryDbContext> factory, RegistryAvailability availability, TimeProvider time, ILogger<RegistryProbe> logger)
    : BackgroundService
{
    public static readonly TimeSpan ReachableInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan UnreachableInterval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // What the log last said, so each outage is logged once when it starts and once when it ends, whoever noticed it first.
        var loggedReachable = true;
        try
        {
            while (true)
            {
                await Task.Delay(availability.IsReachable ? ReachableInterval : UnreachableInterval, time, stoppingToken);
                if (await CanConnectAsync(stoppingToken))
                {
                    availability.ReportReachable();
                }
                else
                {
                    availability.ReportUnreachable();
                }
                if (availability.UnreachableSince is { } since && loggedReachable)
                {
                    LogUnreachable(logger, since);
                    loggedReachable = false;
                }
                else if (availability.IsReachable && !loggedReachable)
                {
                    LogAnswersAgain(logger);
                    loggedReachable = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "The registry database is unreachable since {Since:u}; live state goes on, changes are refused until it answers")]
    private static partial void LogUnreachable(ILogger logger, DateTimeOffset since);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "The registry database answers again")]
    private static partial void LogAnswersAgain(ILogger logger);
}
