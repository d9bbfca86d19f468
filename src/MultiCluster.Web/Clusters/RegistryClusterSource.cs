using Microsoft.EntityFrameworkCore;
using MultiCluster.Data;
using MultiCluster.Data.Secrets;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Web.Clusters;

/// <summary>The registered clusters, with their credentials opened (and whether their host has paused them), for the fleet watcher (and nothing else).</summary>
public sealed class RegistryClusterSource(IDbContextFactory<RegistryDbContext> factory, CredentialVault vault, RegistryChanges changes, VirtualClusters.VirtualClusterPauses pauses) : IWatchedClusterSource
{
    private long _loaded = -1;

    public async Task<IReadOnlyList<WatchedCluster>> LoadAsync(CancellationToken cancellationToken)
    {
        var version = changes.Version;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Clusters.AsNoTracking().WithCredentials(db).ToListAsync(cancellationToken);
        _loaded = version;
        var registered = rows.Select(r => r.Cluster.Name).ToHashSet(StringComparer.Ordinal);
        return rows.Select(r => new WatchedCluster(r.Cluster.Name, r.Cluster.DisplayName, r.Cluster.Labels, new Uri(r.Cluster.ApiServerUrl),
            vault.Open(r.Credential), r.Cluster.KubernetesVersion) { Paused = pauses.PausedReason(r.Cluster.Labels, registered) }).ToList();
    }

    public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        changes.WaitAsync(_loaded, timeout, cancellationToken);
}
