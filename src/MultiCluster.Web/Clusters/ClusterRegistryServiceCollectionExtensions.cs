namespace MultiCluster.Web.Clusters;

public static class ClusterRegistryServiceCollectionExtensions
{
    public static IServiceCollection AddClusterRegistry(this IServiceCollection services)
    {
        services.AddSingleton<ClusterRegistry>();
        return services;
    }
}
