using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MultiCluster.Data;
using MultiCluster.Data.Secrets;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Clusters;
using Npgsql;

namespace MultiCluster.Web.Tests;

/// <summary>
/// The cluster registry as the app wires it, on a fresh database of the real PostgreSQL server
/// (MC_TEST_POSTGRES, started by ./test.sh), with simulated clusters to register.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private readonly string _database = $"mc_web_{Guid.NewGuid():N}";
    private IHost? _host;

    public SimulatorHost Simulator { get; private set; } = default!;

    public IServiceProvider Services => _host!.Services;

    public ClusterRegistry Registry => Services.GetRequiredService<ClusterRegistry>();

    public RegistryDbContext CreateContext() => Services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContext();

    public async Task InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("MC_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("MC_TEST_POSTGRES is not set. Run ./test.sh, which starts a PostgreSQL server.");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(
        [
            new("Database:Provider", "Postgres"),
            new("ConnectionStrings:Registry", new NpgsqlConnectionStringBuilder(server) { Database = _database, Pooling = false }.ConnectionString),
            new(MasterKeyOptions.MasterKeyVariable, Convert.ToBase64String(MasterKeyRing.NewKey())),
        ]);
        builder.Services.AddRegistry(builder.Configuration);
        builder.Services.AddClusterRegistry();
        _host = builder.Build();
        await _host.Services.MigrateRegistryAsync();
        Simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters =
            [
                new ClusterOptions { Name = "one", Nodes = 1, KubernetesVersion = "v1.31.4" },
                new ClusterOptions { Name = "two", Nodes = 1, KubernetesVersion = "v1.32.2" },
            ],
        });
    }

    public async Task DisposeAsync()
    {
        await Simulator.DisposeAsync();
        _host?.Dispose();
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("MC_TEST_POSTGRES"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
