using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MultiCluster.Data.Tests;

/// <summary>The registry wired exactly as the app wires it (AddRegistry), with a test clock.</summary>
public sealed class RegistryHost : IDisposable
{
    private readonly IHost _host;

    public RegistryHost(DatabaseProvider provider, string connectionString, TimeProvider? time = null, KeyValuePair<string, string?>[]? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(
        [
            new("Database:Provider", provider.ToString()),
            new("ConnectionStrings:Registry", connectionString),
            .. settings ?? [],
        ]);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        builder.Services.AddRegistry(builder.Configuration);
        _host = builder.Build();
    }

    public IServiceProvider Services => _host.Services;

    public Task MigrateAsync() => _host.Services.MigrateRegistryAsync();

    public RegistryDbContext CreateContext() =>
        _host.Services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContext();

    public void Dispose() => _host.Dispose();
}
