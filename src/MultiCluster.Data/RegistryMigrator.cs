using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MultiCluster.Data;

/// <summary>Applies pending migrations at start-up and turns database failures into plain words.</summary>
public static partial class RegistryMigrator
{
    public static async Task MigrateRegistryAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RegistryMigrator));
        var factory = services.GetRequiredService<IDbContextFactory<RegistryDbContext>>();
        var where = Describe(options);
        try
        {
            if (options.ParsedProvider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                Directory.CreateDirectory(Path.GetFullPath(options.DataDirectory));
            }
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                LogApplying(logger, pending.Count, where);
                await db.Database.MigrateAsync(cancellationToken);
            }
            LogReady(logger, where);
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
        {
            throw new RegistryUnavailableException(
                $"The registry database {where} cannot be used: {PlainReason(ex)} " +
                $"Check {DatabaseOptions.ProviderKey}, {DatabaseOptions.ConnectionStringKey} and {DatabaseOptions.DataDirectoryKey}.", ex);
        }
    }

    /// <summary>Names the database without its password, for messages and logs.</summary>
    public static string Describe(DatabaseOptions options)
    {
        var provider = options.ParsedProvider;
        if (provider == DatabaseProvider.Postgres)
        {
            var cs = new NpgsqlConnectionStringBuilder(options.EffectiveConnectionString);
            return $"(PostgreSQL at {cs.Host}:{cs.Port}, database '{cs.Database ?? cs.Username}', user '{cs.Username}')";
        }
        var sqlite = new SqliteConnectionStringBuilder(options.EffectiveConnectionString);
        return $"(SQLite file '{sqlite.DataSource}')";
    }

    private static string PlainReason(Exception ex)
    {
        var socket = Find<SocketException>(ex);
        if (socket is not null)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "nothing accepts connections at that address (connection refused).",
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "the host name does not resolve.",
                SocketError.TimedOut => "the connection timed out.",
                _ => $"the network said: {socket.Message}.",
            };
        }
        if (Find<PostgresException>(ex) is { } pg)
        {
            return pg.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => $"the server refused the credentials ({pg.MessageText}).",
                PostgresErrorCodes.InvalidCatalogName => $"the database does not exist ({pg.MessageText}).",
                _ => $"the server said: {pg.MessageText}.",
            };
        }
        if (Find<SqliteException>(ex) is { } sqlite)
        {
            return $"SQLite said: {sqlite.Message.TrimEnd('.')}.";
        }
        if (Find<TimeoutException>(ex) is not null)
        {
            return "the connection timed out.";
        }
        var innermost = ex;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }
        return innermost.Message;
    }

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match)
            {
                return match;
            }
        }
        return null;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applying {Count} registry migration(s) to {Database}")]
    private static partial void LogApplying(ILogger logger, int count, string database);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Registry database {Database} is ready")]
    private static partial void LogReady(ILogger logger, string database);
}
