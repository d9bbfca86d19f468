using MultiCluster.Data;

namespace MultiCluster.Web.Health;

/// <summary>What the dashboard says, and how long it trusts what it verified, while the registry database does not answer.</summary>
public static class RegistryOutage
{
    /// <summary>
    /// How long a credential verified against the registry (a personal access token, a session) keeps working for reads
    /// while the registry cannot be asked again. It is also the longest a token revoked or a user disabled just before an
    /// outage still reads: nothing can be revoked during one, since the registry takes no writes.
    /// </summary>
    public static readonly TimeSpan CredentialGrace = TimeSpan.FromMinutes(5);

    /// <summary>What a client should wait before trying again: the probe's interval while the registry is down.</summary>
    public static readonly TimeSpan RetryAfter = RegistryProbe.UnreachableInterval;

    public const string Title = "The registry database is unreachable";

    /// <summary>The banner's sentence: "The registry database is unreachable since 14:02 UTC; live cluster state still updates; changes are paused."</summary>
    public static string Banner(DateTimeOffset since) =>
        $"The registry database is unreachable since {since.UtcDateTime:HH:mm} UTC; live cluster state still updates; changes are paused.";

    /// <summary>For an API client or a page whose request needed the registry.</summary>
    public static string Detail(DateTimeOffset? since) =>
        $"The registry database is unreachable{(since is { } at ? $" since {at.UtcDateTime:HH:mm} UTC" : "")}, so this request could not be served "
        + "and nothing was changed. Reads of live cluster state (problems, virtual clusters, the fleet hub) still answer tokens used in the last few minutes; try again in a little while.";

    /// <summary>For a person whose page needed the registry (a session too old to trust without it, a page that reads it).</summary>
    public static string Page(DateTimeOffset? since) =>
        $"The registry database is unreachable{(since is { } at ? $" since {at.UtcDateTime:HH:mm} UTC" : "")}, so this page cannot be shown now "
        + "(it needs the registry, or your session must be checked there). This page reloads by itself and is back once the database answers.";

    /// <summary>For the sign-in page: nobody can sign in without the registry, which holds the accounts.</summary>
    public static string SignIn(DateTimeOffset? since) =>
        $"The registry database, which holds the accounts, is unreachable{(since is { } at ? $" since {at.UtcDateTime:HH:mm} UTC" : "")}: "
        + "signing in is paused until it answers again. Sessions already open keep showing live cluster state.";

    /// <summary>The registry is down by what <paramref name="exception"/> says, and <paramref name="availability"/> now knows it.</summary>
    public static bool Explains(Exception exception, RegistryAvailability availability)
    {
        if (!RegistryFailures.IsUnreachable(exception))
        {
            return false;
        }
        availability.ReportUnreachable();
        return true;
    }
}
