using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Data.Secrets;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Triage;

namespace MultiCluster.Components.Tests;

/// <summary>A real registry in a fresh SQLite file, wired as the app wires it, for pages that read clusters.</summary>
public sealed class TestRegistry : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mc-components-").FullName;
    private readonly IHost _host;

    /// <param name="time">The registry's and the feed's clock; the system's unless a test controls "now".</param>
    public TestRegistry(TimeProvider? time = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _directory });
        builder.Configuration.AddInMemoryCollection(
        [
            new(DatabaseOptions.DataDirectoryKey, _directory),
            new(MasterKeyOptions.MasterKeyVariable, Convert.ToBase64String(MasterKeyRing.NewKey())),
        ]);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddRegistry(builder.Configuration);
        builder.Services.AddSingleton(new MultiCluster.Kubernetes.Reconcile.AccessSource(new MultiCluster.Core.Access.AccessOptions()));
        builder.Services.AddSingleton<MultiCluster.Web.Access.ClusterVisibility>();
        builder.Services.AddClusterRegistry();
        builder.Services.AddProblemTriage(builder.Configuration);
        _host = builder.Build();
        _host.Services.MigrateRegistryAsync().GetAwaiter().GetResult();
    }

    public IServiceProvider Services => _host.Services;

    public void Add(params Cluster[] clusters)
    {
        using var db = _host.Services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContext();
        db.Clusters.AddRange(clusters);
        db.SaveChanges();
    }

    public void Dispose()
    {
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
