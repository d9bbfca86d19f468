using MultiCluster.Core;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>A registered cluster as the fleet watcher needs it: where it is, how to sign in, what to call it.</summary>
public sealed record WatchedCluster(
    string Name,
    string DisplayName,
    IReadOnlyDictionary<string, string> Labels,
    Uri Server,
    ClusterCredentials Credentials,
    string? KubernetesVersion = null)
{
    /// <summary>
    /// Why the cluster is paused (a vCluster its host has paused), in words for the pages; null when it runs. A paused
    /// cluster is not watched: it shows as Paused until it resumes.
    /// </summary>
    public string? Paused { get; init; }

    /// <summary>Same server, credentials and pause: the running watch can stay; only what the pages show changed.</summary>
    public bool SameConnection(WatchedCluster other) => Server == other.Server && Credentials == other.Credentials && (Paused is null) == (other.Paused is null);

    public override string ToString() => $"WatchedCluster {{ Name = {Name}, Server = {Server} }}";
}

/// <summary>Where the fleet watcher learns which clusters exist (the registry, in the app).</summary>
public interface IWatchedClusterSource
{
    Task<IReadOnlyList<WatchedCluster>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Completes when the set of clusters may have changed, or after <paramref name="timeout"/>.</summary>
    Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
