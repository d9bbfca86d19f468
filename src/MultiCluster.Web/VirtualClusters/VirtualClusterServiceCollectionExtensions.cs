using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Hosting;

namespace MultiCluster.Web.VirtualClusters;

public static class VirtualClusterServiceCollectionExtensions
{
    /// <summary>The vCluster lifecycle, the engine that keeps their isolation, and the follower that stops watching a vCluster its host has paused.</summary>
    public static IServiceCollection AddVirtualClusters(this IServiceCollection services, IConfiguration configuration)
    {
        // Their isolation is the engine's third user (after quota policies and access grants).
        services.AddReconcileEngine(configuration);
        services.AddVirtualClusterIsolationReconciler();
        services.AddSingleton<VirtualClusterIsolations>();
        services.AddHostedService(sp => sp.GetRequiredService<VirtualClusterIsolations>());
        services.AddOptions<VirtualClusterOptions>().BindConfiguration(VirtualClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VirtualClusterPauses>();
        services.AddHostedService(sp => sp.GetRequiredService<VirtualClusterPauses>());
        services.AddSingleton<VirtualClusterService>();
        return services;
    }
}
