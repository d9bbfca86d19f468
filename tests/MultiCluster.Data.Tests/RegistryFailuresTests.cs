using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MultiCluster.Data.Tests;

/// <summary>Which failures mean "the registry does not answer" (503, the banner) and which mean "the request was wrong".</summary>
public sealed class RegistryFailuresTests
{
    public static TheoryData<Exception, bool> Failures() => new()
    {
        { new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111)), true },
        { new DbUpdateException("An error occurred while saving the entity changes.", new NpgsqlException("Exception while reading from stream", new IOException())), true },
        { new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), true },
        { new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300"), true },
        { new PostgresException("password authentication failed for user \"mc\"", "FATAL", "FATAL", "28P01"), true },
        { new RegistryUnavailableException("The registry database does not answer."), true },
        { new DbUpdateException("An error occurred while saving the entity changes.", new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505")), false },
        { new PostgresException("could not serialize access due to concurrent update", "ERROR", "ERROR", "40001"), false },
        { new InvalidOperationException("Sequence contains more than one element"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Only_a_registry_that_did_not_answer_counts_as_unreachable(Exception failure, bool unreachable) =>
        Assert.Equal(unreachable, RegistryFailures.IsUnreachable(failure));
}
