namespace MultiCluster.Data.Tests;

/// <summary>An empty registry database of either provider: a new PostgreSQL database or a new SQLite file.</summary>
public sealed class EmptyDatabase : IAsyncDisposable
{
    private readonly TestPostgres? _postgres;
    private readonly string? _sqliteFile;

    private EmptyDatabase(DatabaseProvider provider, string connectionString, TestPostgres? postgres, string? sqliteFile)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgres = postgres;
        _sqliteFile = sqliteFile;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static async Task<EmptyDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var postgres = await TestPostgres.CreateEmptyDatabaseAsync();
            return new EmptyDatabase(provider, postgres.ConnectionString, postgres, null);
        }
        var file = Path.Combine(Path.GetTempPath(), $"mc-test-{Guid.NewGuid():N}.db");
        return new EmptyDatabase(provider, $"Data Source={file};Pooling=False", null, file);
    }

    public RegistryHost Host(TimeProvider? time = null, KeyValuePair<string, string?>[]? settings = null) =>
        new(Provider, ConnectionString, time, settings);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        if (_sqliteFile is not null)
        {
            File.Delete(_sqliteFile);
        }
    }
}
