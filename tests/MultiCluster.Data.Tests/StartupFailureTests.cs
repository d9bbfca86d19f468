using System.Net;
using System.Net.Sockets;

namespace MultiCluster.Data.Tests;

/// <summary>A database that cannot be used stops start-up with one plain sentence naming the settings.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task An_unreachable_postgres_is_reported_in_plain_words_without_the_password()
    {
        var port = ClosedPort();
        using var host = new RegistryHost(DatabaseProvider.Postgres, $"Host=127.0.0.1;Port={port};Database=registry;Username=mc;Password=hunter2;Timeout=3");

        var ex = await Assert.ThrowsAsync<RegistryUnavailableException>(host.MigrateAsync);

        Assert.Equal(
            $"The registry database (PostgreSQL at 127.0.0.1:{port}, database 'registry', user 'mc') cannot be used: " +
            "nothing accepts connections at that address (connection refused). " +
            "Check Database:Provider, ConnectionStrings:Registry and MultiCluster:DataDirectory.",
            ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_the_server_refuses_are_named_as_such()
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(TestPostgres.ServerConnectionString) { Username = "no_such_role", Database = "registry" };
        using var host = new RegistryHost(DatabaseProvider.Postgres, server.ConnectionString);

        var ex = await Assert.ThrowsAsync<RegistryUnavailableException>(host.MigrateAsync);

        Assert.Contains("cannot be used: the server refused the credentials (role \"no_such_role\" does not exist).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sqlite_file_in_an_unwritable_place_is_reported()
    {
        var file = Path.Combine("/proc", "multicluster-test", "registry.db");
        using var host = new RegistryHost(DatabaseProvider.Sqlite, $"Data Source={file}");

        var ex = await Assert.ThrowsAsync<RegistryUnavailableException>(host.MigrateAsync);

        Assert.StartsWith($"The registry database (SQLite file '{file}') cannot be used: SQLite said:", ex.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
