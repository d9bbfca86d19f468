using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Web.Clusters;

public static class ClusterRegistryServiceCollectionExtensions
{
    /// <summary>The registry of clusters, and the live state of every registered cluster.</summary>
    public static IServiceCollection AddClusterRegistry(this IServiceCollection services)
    {
        services.AddSingleton<RegistryChanges>();
        services.AddSingleton<ClusterRegistry>();
        services.AddFleetState<RegistryClusterSource>();
        return services;
    }
}
