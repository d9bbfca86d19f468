using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using MultiCluster.Data;

namespace MultiCluster.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef</c> build the Postgres model without starting the web app.</summary>
public sealed class DesignTimeRegistryFactory : IDesignTimeDbContextFactory<RegistryDbContext>
{
    public RegistryDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<RegistryDbContext>();
        builder.Use(DatabaseProvider.Postgres, DesignTimeConnectionString);
        return new RegistryDbContext(builder.Options);
    }

    // Never opened by "migrations add"; only the provider matters.
    private const string DesignTimeConnectionString = "Host=localhost;Database=multicluster;Username=multicluster";
}
