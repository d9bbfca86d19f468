using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MultiCluster.Data;
using MultiCluster.Data.Secrets;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Clusters;
using MultiCluster.Data.Tests;

namespace MultiCluster.Web.Tests;

/// <summary>
/// The cluster registry as the app wires it, on a fresh database of the real PostgreSQL server
/// (MC_TEST_POSTGRES, started by ./test.sh), with simulated clusters to register.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private TestPostgres? _database;
    private IHost? _host;

    public SimulatorHost Simulator { get; private set; } = default!;

    public IServiceProvider Services => _host!.Services;

    public ClusterRegistry Registry => Services.GetRequiredService<ClusterRegistry>();

    public RegistryDbContext CreateContext() => Services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContext();

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateEmptyDatabaseAsync();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(
        [
            new("Database:Provider", "Postgres"),
            new("ConnectionStrings:Registry", _database.ConnectionString),
            new(MasterKeyOptions.MasterKeyVariable, Convert.ToBase64String(MasterKeyRing.NewKey())),
        ]);
        builder.Services.AddRegistry(builder.Configuration);
        // Which clusters a person sees (the registry's connection tests ask): every one with a fleet-wide role.
        builder.Services.AddSingleton(new MultiCluster.Kubernetes.Fleet.FleetStateStore(TimeProvider.System));
        builder.Services.AddSingleton(new MultiCluster.Kubernetes.Reconcile.AccessSource(new MultiCluster.Core.Access.AccessOptions()));
        builder.Services.AddSingleton<MultiCluster.Web.Access.ClusterVisibility>();
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
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
