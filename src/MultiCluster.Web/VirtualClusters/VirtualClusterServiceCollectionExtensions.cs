namespace MultiCluster.Web.VirtualClusters;

public static class VirtualClusterServiceCollectionExtensions
{
    /// <summary>The vCluster lifecycle, and the follower that stops watching a vCluster its host has paused.</summary>
    public static IServiceCollection AddVirtualClusters(this IServiceCollection services)
    {
        services.AddOptions<VirtualClusterOptions>().BindConfiguration(VirtualClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VirtualClusterPauses>();
        services.AddHostedService(sp => sp.GetRequiredService<VirtualClusterPauses>());
        services.AddSingleton<VirtualClusterService>();
        return services;
    }
}
