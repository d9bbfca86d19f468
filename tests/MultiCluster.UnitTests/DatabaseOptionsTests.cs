using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MultiCluster.Data;

namespace MultiCluster.UnitTests;

/// <summary>A bad database setting stops start-up with a message that names the setting.</summary>
public sealed class DatabaseOptionsTests
{
    private static readonly string ContentRoot = Path.GetTempPath();

    [Fact]
    public void Defaults_to_a_sqlite_file_in_the_data_directory_under_the_content_root()
    {
        var options = Resolve([]);

        Assert.Equal(DatabaseProvider.Sqlite, options.ParsedProvider);
        Assert.Equal(Path.Combine(ContentRoot, ".multicluster"), options.DataDirectory);
        Assert.Equal($"Data Source={Path.Combine(ContentRoot, ".multicluster", "multicluster.db")}", options.EffectiveConnectionString);
    }

    [Fact]
    public void An_absolute_data_directory_is_used_as_given()
    {
        var options = Resolve([new("MultiCluster:DataDirectory", "/var/lib/multicluster")]);

        Assert.Equal("Data Source=/var/lib/multicluster/multicluster.db", options.EffectiveConnectionString);
    }

    [Fact]
    public void An_unknown_provider_names_the_setting()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve([new("Database:Provider", "Oracle")]));

        Assert.Equal("Database:Provider is 'Oracle'; use 'Sqlite' (the default) or 'Postgres'.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void Postgres_without_a_connection_string_names_the_connection_string_setting()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve([new("Database:Provider", "Postgres")]));

        Assert.StartsWith("Database:Provider is 'Postgres' but ConnectionStrings:Registry is not set", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_postgres_connection_string_is_refused_before_connecting()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(
        [
            new("Database:Provider", "postgres"),
            new("ConnectionStrings:Registry", "Hots=db;Nonsense"),
        ]));

        Assert.StartsWith("ConnectionStrings:Registry is not a valid PostgreSQL connection string", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void The_database_is_described_without_its_password()
    {
        var options = Resolve(
        [
            new("Database:Provider", "Postgres"),
            new("ConnectionStrings:Registry", "Host=db.internal;Port=5433;Database=registry;Username=mc;Password=s3cret-value"),
        ]);

        var description = RegistryMigrator.Describe(options);

        Assert.Equal("(PostgreSQL at db.internal:5433, database 'registry', user 'mc')", description);
        Assert.DoesNotContain("s3cret-value", description, StringComparison.Ordinal);
    }

    private static DatabaseOptions Resolve(KeyValuePair<string, string?>[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = ContentRoot });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRegistry(builder.Configuration);
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
    }
}
