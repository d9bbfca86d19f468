using Microsoft.Extensions.Options;
using Npgsql;

namespace MultiCluster.Data;

/// <summary>Stops start-up with a message that names the setting to fix.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!Enum.TryParse<DatabaseProvider>(options.Provider, ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            return ValidateOptionsResult.Fail(
                $"{DatabaseOptions.ProviderKey} is '{options.Provider}'; use 'Sqlite' (the default) or 'Postgres'.");
        }
        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                return ValidateOptionsResult.Fail(
                    $"{DatabaseOptions.ProviderKey} is 'Postgres' but {DatabaseOptions.ConnectionStringKey} is not set; " +
                    "give it a connection string such as 'Host=db;Database=multicluster;Username=multicluster;Password=…'.");
            }
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                return ValidateOptionsResult.Fail($"{DatabaseOptions.ConnectionStringKey} is not a valid PostgreSQL connection string: {ex.Message}");
            }
        }
        if (provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString) && string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            return ValidateOptionsResult.Fail($"{DatabaseOptions.DataDirectoryKey} is empty; give a directory for the SQLite registry (default '{DatabaseOptions.DefaultDataDirectory}').");
        }
        return ValidateOptionsResult.Success;
    }
}
