using Microsoft.EntityFrameworkCore;
using MultiCluster.Data;
using MultiCluster.Data.Secrets;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.Fleet;

/// <summary>
/// Opens a KubernetesClient for one registered cluster, for what the store does not keep (a full object,
/// logs). The credentials stay in this process: nothing here is rendered, returned or logged.
/// </summary>
public sealed class ClusterClients(IDbContextFactory<RegistryDbContext> factory, CredentialVault vault, AddressGuard addresses)
{
    /// <summary>A client for the cluster, or null when no cluster has that name.</summary>
    public async Task<k8s.Kubernetes?> OpenAsync(string cluster, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.Clusters.AsNoTracking().Where(c => c.Name == cluster).WithCredentials(db).SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : KubernetesClients.Create(new Uri(row.Cluster.ApiServerUrl), vault.Open(row.Credential), TimeSpan.FromSeconds(30), addresses);
    }
}
