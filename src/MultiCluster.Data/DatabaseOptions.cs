namespace MultiCluster.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where the registry lives. Bound from the <c>Database</c> section and <c>ConnectionStrings:Registry</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringKey = "ConnectionStrings:Registry";
    public const string DataDirectoryKey = "MultiCluster:DataDirectory";
    public const string DefaultDataDirectory = ".multicluster";
    public const string SqliteFileName = "multicluster.db";

    /// <summary>The value of <c>Database:Provider</c> as written: <c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary><c>ConnectionStrings:Registry</c>; required for PostgreSQL, optional for SQLite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>MultiCluster:DataDirectory</c>: where the SQLite file (and later keys) live.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    public DatabaseProvider ParsedProvider =>
        Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"{ProviderKey} '{Provider}' is not supported.");

    /// <summary>The connection string the provider will use: the configured one, or the SQLite file in the data directory.</summary>
    public string EffectiveConnectionString =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? ConnectionString
            : $"Data Source={Path.Combine(Path.GetFullPath(DataDirectory), SqliteFileName)}";
}
