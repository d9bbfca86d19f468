using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultiCluster.Core;
using Npgsql;

namespace MultiCluster.Data.Replicas;

/// <summary>
/// Holds one connection that LISTENs on <see cref="RegistryTopics.Channel"/> and says which topic another replica (or the
/// admin console, or this one) changed. A lost connection is opened again with backoff; once it is, every topic is said to
/// have changed, because what was sent meanwhile is lost. On SQLite (one replica) it does nothing.
/// </summary>
public sealed partial class RegistryListener(IOptions<DatabaseOptions> options, TimeProvider time, ILogger<RegistryListener> logger) : BackgroundService
{
    /// <summary>How long the connection may stay quiet before a query checks it is still there.</summary>
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(10);

    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    /// <summary>
    /// Raised with a topic when it changed (or a <see cref="RegistryTopics.RepairOf">repair request</see>), on the listener's
    /// thread: handlers only mark what to re-read.
    /// </summary>
    public event Action<string>? Changed;

    /// <summary>Whether notifications arrive now.</summary>
    public bool Listening { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ParsedProvider != DatabaseProvider.Postgres)
        {
            return;
        }
        var connectionString = new NpgsqlConnectionStringBuilder(options.Value.EffectiveConnectionString)
        {
            Pooling = false,
            ApplicationName = "multicluster-listener",
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) => Raise(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {RegistryTopics.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                Listening = true;
                _backoff.Reset();
                LogListening(logger);
                // Whatever changed before LISTEN took effect (at start, or while the connection was lost) is read again.
                foreach (var topic in RegistryTopics.All)
                {
                    Raise(topic);
                }
                while (true)
                {
                    if (!await connection.WaitAsync(Probe, stoppingToken))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 5 };
                        await probe.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = _backoff.Next();
                if (Listening || _backoff.Failures == 1)
                {
                    LogLost(logger, delay, ex.Message);
                }
                Listening = false;
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Raise(string topic)
    {
        try
        {
            Changed?.Invoke(topic);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(logger, topic, ex);
        }
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Listening for registry changes made by other replicas")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Lost the connection that listens for registry changes ({Reason}); opening it again in {Delay}, then everything is read again")]
    private static partial void LogLost(ILogger logger, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Error, Message = "A follower of registry topic {Topic} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string topic, Exception ex);
}
