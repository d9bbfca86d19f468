namespace MultiCluster.Core.Fleet;

/// <summary>Where the dashboard's view of one cluster stands.</summary>
public enum ClusterHealth
{
    /// <summary>Registered; the first lists have not finished yet.</summary>
    Connecting,

    /// <summary>Every watched kind is listed and being watched.</summary>
    Synced,

    /// <summary>The cluster answers, but some kinds fail (their data may be stale).</summary>
    Degraded,

    /// <summary>No kind could reach the API server.</summary>
    Unreachable,

    /// <summary>The API server refuses the stored credentials (401), or they may not list what the dashboard needs (403).</summary>
    Unauthorized,

    /// <summary>
    /// A vCluster whose host says it is paused (<c>loft.sh/paused=true</c>): it is not watched until it resumes, and a
    /// paused cluster is not a problem.
    /// </summary>
    Paused,
}

/// <summary>What one (cluster, kind) watch is doing, reported by its informer.</summary>
public enum WatchState
{
    Listing,
    Watching,
    Unreachable,
    Unauthorized,
    Failing,
}

/// <summary>How one watched kind of one cluster is doing; <see cref="Problem"/> is in plain words.</summary>
public sealed record KindWatchStatus(string Kind, WatchState State, string? Problem);

public static class ClusterHealthRules
{
    /// <summary>The health of a cluster from the states of its watched kinds.</summary>
    public static ClusterHealth Combine(IReadOnlyCollection<KindWatchStatus> kinds)
    {
        if (kinds.Count == 0 || kinds.All(k => k.State == WatchState.Listing))
        {
            return ClusterHealth.Connecting;
        }
        if (kinds.Any(k => k.State == WatchState.Unauthorized))
        {
            return ClusterHealth.Unauthorized;
        }
        if (kinds.All(k => k.State == WatchState.Unreachable))
        {
            return ClusterHealth.Unreachable;
        }
        if (kinds.All(k => k.State == WatchState.Watching))
        {
            return ClusterHealth.Synced;
        }
        return kinds.Any(k => k.State is WatchState.Failing or WatchState.Unreachable) ? ClusterHealth.Degraded : ClusterHealth.Connecting;
    }

    /// <summary>The first problem worth showing: credentials before reachability before the rest.</summary>
    public static string? Problem(IReadOnlyCollection<KindWatchStatus> kinds) =>
        kinds.Where(k => k.Problem is not null)
            .OrderBy(k => k.State switch { WatchState.Unauthorized => 0, WatchState.Unreachable => 1, _ => 2 })
            .Select(k => k.State is WatchState.Unauthorized or WatchState.Unreachable ? k.Problem : $"{k.Kind}: {k.Problem}")
            .FirstOrDefault();
}
