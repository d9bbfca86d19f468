using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultiCluster.Core;
using Npgsql;

namespace MultiCluster.Data.Replicas;

/// <summary>How often leadership is tried and checked; the defaults give a takeover within a few seconds.</summary>
public sealed record LeadershipTimings
{
    /// <summary>How often a follower tries to take the lock.</summary>
    public TimeSpan Try { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the leader checks its lock connection is alive.</summary>
    public TimeSpan Check { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How old a check may be for a write to go ahead without another one.</summary>
    public TimeSpan Fresh { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a new leader waits after taking the lock before it writes: longer than <see cref="Fresh"/>, so a leader that
    /// lost its connection without knowing it yet has made its last fenced write by then.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The lock connection's <c>idle_session_timeout</c>: a leader that stops talking (frozen, cut off) loses its session, and
    /// so the lock, after this long, instead of when TCP gives up on it.
    /// </summary>
    public TimeSpan IdleSession { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Who writes to clusters: the replica whose dedicated connection holds a PostgreSQL session advisory lock
/// (<c>pg_try_advisory_lock</c>). A session lock needs nothing beyond the database every replica already has (no Kubernetes
/// API, so it works outside a cluster too), and it lives exactly as long as its connection: a leader that is killed, or whose
/// connection the server ends, frees it at once, and another replica takes it at its next try. Each time this replica
/// takes the lock its <see cref="Epoch"/> moves on; a writer confirms, before each batch, that it still leads in the epoch it
/// started in (<see cref="ConfirmAsync"/>: a fresh query on the lock connection), and stops when it does not. On SQLite the
/// one process always leads.
/// </summary>
public sealed partial class RegistryLeadership(IOptions<DatabaseOptions> options, TimeProvider time, ILogger<RegistryLeadership> logger, LeadershipTimings? timings = null)
    : BackgroundService
{
    /// <summary>The advisory lock's key ("MCLEAD"); advisory locks are per database, so one registry has one leader.</summary>
    public const long LockKey = 0x4D434C454144;

    private readonly LeadershipTimings _timings = timings ?? new LeadershipTimings();
    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _single = options.Value.ParsedProvider != DatabaseProvider.Postgres;
    private NpgsqlConnection? _connection;
    private DateTimeOffset _confirmedAt = DateTimeOffset.MinValue;
    private long _epochs;
    private long _epoch;
    private bool _connected;
    private DateTimeOffset _since;

    /// <summary>Raised (on the elector's thread) when this replica starts or stops leading.</summary>
    public event Action<bool>? Changed;

    public bool IsLeading => _single || Volatile.Read(ref _epoch) != 0;

    /// <summary>The current leadership's number, 0 while not leading. A writer keeps the one it started with.</summary>
    public long Epoch => _single ? 1 : Volatile.Read(ref _epoch);

    /// <summary>Whether the lock connection is open (always true on SQLite).</summary>
    public bool Connected => _single || Volatile.Read(ref _connected);

    /// <summary>In a sentence, for /readyz.</summary>
    public string Describe() =>
        _single ? "Leads the reconcilers: the only replica (SQLite)."
        : IsLeading ? $"Leads the reconcilers (epoch {Epoch}) since {_since:u}."
        : Connected ? "Follows: another replica leads the reconcilers."
        : "Does not lead: the connection to PostgreSQL that holds the leadership is lost.";

    /// <summary>
    /// True when this replica still leads in <paramref name="epoch"/>, checked on the lock connection unless a check within
    /// <see cref="LeadershipTimings.Fresh"/> said so. A failed check ends the leadership (its connection is closed, freeing the lock).
    /// </summary>
    public async ValueTask<bool> ConfirmAsync(long epoch, CancellationToken cancellationToken)
    {
        if (_single)
        {
            return true;
        }
        if (epoch == 0 || Epoch != epoch)
        {
            return false;
        }
        if (time.GetUtcNow() - _confirmedAt < _timings.Fresh)
        {
            return true;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Epoch != epoch)
            {
                return false;
            }
            if (time.GetUtcNow() - _confirmedAt < _timings.Fresh)
            {
                return true;
            }
            try
            {
                await CheckAsync(_connection!, cancellationToken);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await LoseAsync(ex.Message);
                return false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_single)
        {
            return;
        }
        var connectionString = new NpgsqlConnectionStringBuilder(options.Value.EffectiveConnectionString)
        {
            Pooling = false,
            ApplicationName = $"multicluster-leader {Replica.Name}",
        }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConnectAsync(connectionString, stoppingToken);
                while (true)
                {
                    await StepAsync(stoppingToken);
                    await Task.Delay(IsLeading ? _timings.Check : _timings.Try, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                await _gate.WaitAsync(CancellationToken.None);
                try
                {
                    await LoseAsync(ex.Message);
                }
                finally
                {
                    _gate.Release();
                }
                try
                {
                    await Task.Delay(_backoff.Next(), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            // Stopping: give the lock up now rather than when the process ends, so another replica takes over at once.
            await LoseAsync(null);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection.PostgreSqlVersion.Major >= 14)
            {
                await using var idle = new NpgsqlCommand($"SET idle_session_timeout = {(int)_timings.IdleSession.TotalMilliseconds}", connection);
                await idle.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await _gate.WaitAsync(cancellationToken);
        _connection = connection;
        Volatile.Write(ref _connected, true);
        _gate.Release();
        _backoff.Reset();
    }

    /// <summary>A follower tries the lock; the leader checks its connection. Throws when the connection failed.</summary>
    private async Task StepAsync(CancellationToken cancellationToken)
    {
        bool taken;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = _connection ?? throw new InvalidOperationException("The leadership connection was closed.");
            if (IsLeading)
            {
                await CheckAsync(connection, cancellationToken);
                return;
            }
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection) { CommandTimeout = 5 };
            take.Parameters.AddWithValue("key", LockKey);
            taken = (bool)(await take.ExecuteScalarAsync(cancellationToken))!;
        }
        finally
        {
            _gate.Release();
        }
        if (!taken)
        {
            return;
        }
        LogTaken(logger, Replica.Name, _timings.Settle);
        await Task.Delay(_timings.Settle, time, cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await CheckAsync(_connection ?? throw new InvalidOperationException("The leadership connection was closed."), cancellationToken);
            _since = time.GetUtcNow();
            Volatile.Write(ref _epoch, ++_epochs);
        }
        finally
        {
            _gate.Release();
        }
        LogLeading(logger, Replica.Name, Epoch);
        Changed?.Invoke(true);
    }

    private async Task CheckAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var check = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 2 };
        await check.ExecuteScalarAsync(cancellationToken);
        _confirmedAt = time.GetUtcNow();
    }

    /// <summary>Under the gate: stops leading and closes the connection (which frees the lock if the server still holds it).</summary>
    private async Task LoseAsync(string? reason)
    {
        var was = Interlocked.Exchange(ref _epoch, 0);
        Volatile.Write(ref _connected, false);
        _confirmedAt = DateTimeOffset.MinValue;
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
            {
                // Already broken: the server frees the lock with the session.
            }
        }
        if (was != 0)
        {
            LogLost(logger, Replica.Name, was, reason ?? "the replica stops");
            Changed?.Invoke(false);
        }
        else if (reason is not null && _backoff.Failures == 0)
        {
            LogUnreachable(logger, reason);
        }
    }

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "Replica {Replica} took the leadership lock; it writes to clusters after {Settle}")]
    private static partial void LogTaken(ILogger logger, string replica, TimeSpan settle);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "Replica {Replica} leads the reconcilers (epoch {Epoch})")]
    private static partial void LogLeading(ILogger logger, string replica, long epoch);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Warning, Message = "Replica {Replica} no longer leads (epoch {Epoch} ended: {Reason}); it stops writing to clusters")]
    private static partial void LogLost(ILogger logger, string replica, long epoch, string reason);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Warning, Message = "Cannot reach PostgreSQL to take part in leadership ({Reason}); trying again with backoff")]
    private static partial void LogUnreachable(ILogger logger, string reason);
}
