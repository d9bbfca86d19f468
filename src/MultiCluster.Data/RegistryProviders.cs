using Microsoft.EntityFrameworkCore;

namespace MultiCluster.Data;

/// <summary>
/// The one place that knows which provider reads which migrations assembly. Used by the app, the
/// design-time factories of <c>dotnet ef</c>, and the tests, so all three build the same model.
/// </summary>
public static class RegistryProviders
{
    public const string SqliteMigrationsAssembly = "MultiCluster.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "MultiCluster.Migrations.Postgres";

    public static DbContextOptionsBuilder Use(this DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString) =>
        provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly)),
            DatabaseProvider.Postgres => builder.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrationsAssembly)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider."),
        };
}
