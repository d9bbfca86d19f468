using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Web.Clusters;

public static class ClusterRegistryServiceCollectionExtensions
{
    /// <summary>The registry of clusters, and the live state of every registered cluster.</summary>
    public static IServiceCollection AddClusterRegistry(this IServiceCollection services)
    {
        services.AddSingleton<RegistryChanges>();
        services.AddSingleton<ClusterRegistry>();
        // Registry:RefusePrivateAddresses: which addresses clusters may have, for connection tests, informers and on-demand clients alike.
        services.AddOptions<ClusterAddressOptions>().BindConfiguration(ClusterAddressOptions.Section);
        services.AddFleetState<RegistryClusterSource>();
        return services;
    }
}
