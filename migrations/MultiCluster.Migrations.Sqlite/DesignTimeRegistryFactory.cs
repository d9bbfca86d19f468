using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using MultiCluster.Data;

namespace MultiCluster.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the Sqlite model without starting the web app.</summary>
public sealed class DesignTimeRegistryFactory : IDesignTimeDbContextFactory<RegistryDbContext>
{
    public RegistryDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<RegistryDbContext>();
        builder.Use(DatabaseProvider.Sqlite, DesignTimeConnectionString);
        return new RegistryDbContext(builder.Options);
    }

    // Never opened by "migrations add"; only the provider matters.
    private const string DesignTimeConnectionString = "Data Source=design-time.db";
}
