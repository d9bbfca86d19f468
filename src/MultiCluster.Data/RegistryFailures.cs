using Npgsql;

namespace MultiCluster.Data;

/// <summary>Tells an exception that means "the registry database cannot be reached" from one that means "this request was wrong".</summary>
public static class RegistryFailures
{
    /// <summary>
    /// True when <paramref name="exception"/> (or one it wraps, as EF Core's DbUpdateException does) says the database did
    /// not answer: a network or timeout failure, the server shutting down or refusing connections, or credentials it no
    /// longer takes. A constraint violation or a serialization failure is not one: the database answered.
    /// </summary>
    public static bool IsUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RegistryUnavailableException:
                    return true;
                case PostgresException postgres:
                    return IsUnreachableState(postgres.SqlState);
                case NpgsqlException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnreachable):
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// PostgreSQL error classes where the server, not the request, is the problem: 08 connection exception, 28 invalid
    /// authorization, 3D no such database, 53 insufficient resources (too many connections, disk full), 57P operator
    /// intervention (shutdown, crash, starting up).
    /// </summary>
    private static bool IsUnreachableState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("28", StringComparison.Ordinal)
        || state.StartsWith("3D", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal)
        || state.StartsWith("57P", StringComparison.Ordinal);
}
