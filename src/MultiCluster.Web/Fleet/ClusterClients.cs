using Microsoft.EntityFrameworkCore;
using MultiCluster.Data;
using MultiCluster.Data.Secrets;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Web.Access;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.Fleet;

/// <summary>
/// Opens a KubernetesClient for one registered cluster, for what the store does not keep (a full object,
/// logs). The credentials stay in this process: nothing here is rendered, returned or logged.
/// </summary>
public sealed class ClusterClients(IDbContextFactory<RegistryDbContext> factory, CredentialVault vault, AddressGuard addresses, ClusterVisibility visibility)
{
    /// <summary>A client for the cluster (acting as <paramref name="impersonation"/> when given), or null when no cluster has that name.</summary>
    public async Task<k8s.Kubernetes?> OpenAsync(string cluster, Impersonation? impersonation = null, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.Clusters.AsNoTracking().Where(c => c.Name == cluster).WithCredentials(db).SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : KubernetesClients.Create(new Uri(row.Cluster.ApiServerUrl), vault.Open(row.Credential), TimeSpan.FromSeconds(30), addresses, impersonation, row.Cluster.Name);
    }

    /// <summary>
    /// A client for what the dashboard does on behalf of a person on <paramref name="cluster"/>: as them (impersonated with
    /// their teams' and fleet-wide role's groups), so the cluster's RBAC decides. Null when the person does not see the
    /// cluster or no cluster has that name.
    /// </summary>
    public async Task<PersonClient?> OpenForAsync(VisibleClusters person, string cluster, CancellationToken cancellationToken = default)
    {
        if (!person.CanSee(cluster))
        {
            return null;
        }
        var impersonation = Impersonation.Of(person.Person.KubernetesUser(visibility.Options), person.Person.KubernetesGroups(visibility.Options));
        var client = await OpenAsync(cluster, impersonation, cancellationToken);
        return client is null ? null : new PersonClient(client, person, cluster);
    }
}
