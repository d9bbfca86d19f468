using Microsoft.Data.Sqlite;

namespace MultiCluster.Data.Replicas;

/// <summary>
/// SQLite serves one replica: a serving process holds an exclusive lock on a file beside the database for as long as it
/// runs, and a second one is refused with the setting that selects PostgreSQL. Admin commands take no lock: they are short
/// and SQLite's own locking keeps their writes whole.
/// </summary>
public sealed class SqliteReplicaLock : IDisposable
{
    private readonly FileStream? _lock;

    private SqliteReplicaLock(FileStream? held) => _lock = held;

    /// <summary>Takes the lock of the registry <paramref name="options"/> names; nothing on PostgreSQL or an in-memory database.</summary>
    public static SqliteReplicaLock Take(DatabaseOptions options)
    {
        if (options.ParsedProvider != DatabaseProvider.Sqlite)
        {
            return new SqliteReplicaLock(null);
        }
        var database = new SqliteConnectionStringBuilder(options.EffectiveConnectionString);
        if (string.IsNullOrEmpty(database.DataSource) || database.DataSource == ":memory:" || database.Mode == SqliteOpenMode.Memory)
        {
            return new SqliteReplicaLock(null);
        }
        var path = Path.GetFullPath(database.DataSource) + ".lock";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // FileShare.None is an exclusive advisory lock (flock) on Unix and a sharing lock on Windows; the system drops it
            // when the process ends, however it ends.
            return new SqliteReplicaLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
        }
        catch (IOException ex)
        {
            throw new RegistryUnavailableException(
                $"Another MultiCluster process already serves the SQLite registry '{Path.GetFullPath(database.DataSource)}' (it holds '{path}'), " +
                $"and SQLite serves one replica. To run several replicas, set {DatabaseOptions.ProviderKey} to 'Postgres' and " +
                $"{DatabaseOptions.ConnectionStringKey} to one PostgreSQL database they share.", ex);
        }
    }

    public void Dispose() => _lock?.Dispose();
}
