using Microsoft.EntityFrameworkCore;
using MultiCluster.Data;
using MultiCluster.Data.Secrets;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Web.Clusters;

/// <summary>The registered clusters, with their credentials opened, for the fleet watcher (and nothing else).</summary>
public sealed class RegistryClusterSource(IDbContextFactory<RegistryDbContext> factory, CredentialVault vault, RegistryChanges changes) : IWatchedClusterSource
{
    private long _loaded = -1;

    public async Task<IReadOnlyList<WatchedCluster>> LoadAsync(CancellationToken cancellationToken)
    {
        var version = changes.Version;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Clusters.AsNoTracking()
            .Join(db.ClusterCredentials.AsNoTracking(), c => c.Id, k => k.ClusterId, (cluster, credential) => new { cluster, credential })
            .ToListAsync(cancellationToken);
        _loaded = version;
        return rows.Select(r => new WatchedCluster(r.cluster.Name, r.cluster.DisplayName, r.cluster.Labels, new Uri(r.cluster.ApiServerUrl),
            vault.Open(r.credential), r.cluster.KubernetesVersion)).ToList();
    }

    public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        changes.WaitAsync(_loaded, timeout, cancellationToken);
}
