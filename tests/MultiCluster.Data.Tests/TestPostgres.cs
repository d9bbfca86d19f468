using Npgsql;

namespace MultiCluster.Data.Tests;

/// <summary>
/// A fresh, empty database on the real PostgreSQL server named by MC_TEST_POSTGRES, dropped afterwards.
/// There is no fallback: without a server these tests fail and say how to get one.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    public const string ServerVariable = "MC_TEST_POSTGRES";

    private readonly string _server;

    private TestPostgres(string server, string database, string connectionString)
    {
        _server = server;
        Database = database;
        ConnectionString = connectionString;
    }

    public string Database { get; }

    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set. Run ./test.sh, which starts a PostgreSQL server, or set {ServerVariable} to a connection string of a server where databases may be created.");

    public static async Task<TestPostgres> CreateEmptyDatabaseAsync()
    {
        var server = ServerConnectionString;
        var database = $"mc_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, Pooling = false }.ConnectionString;
        return new TestPostgres(server, database, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
