using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Clusters;

/// <summary>A registered cluster with its sealed credentials, read together for whoever must open them.</summary>
public sealed record SealedCluster(Cluster Cluster, ClusterCredential Credential);

public static class ClusterCredentialQueries
{
    /// <summary>The given clusters with their credentials (still sealed), untracked.</summary>
    public static IQueryable<SealedCluster> WithCredentials(this IQueryable<Cluster> clusters, RegistryDbContext db) =>
        clusters.Join(db.ClusterCredentials, c => c.Id, k => k.ClusterId, (cluster, credential) => new SealedCluster(cluster, credential));
}
