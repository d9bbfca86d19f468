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
    /// <summary>Same server and credentials: the running watch can stay; only what the pages show changed.</summary>
    public bool SameConnection(WatchedCluster other) => Server == other.Server && Credentials == other.Credentials;

    public override string ToString() => $"WatchedCluster {{ Name = {Name}, Server = {Server} }}";
}

/// <summary>Where the fleet watcher learns which clusters exist (the registry, in the app).</summary>
public interface IWatchedClusterSource
{
    Task<IReadOnlyList<WatchedCluster>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Completes when the set of clusters may have changed, or after <paramref name="timeout"/>.</summary>
    Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
