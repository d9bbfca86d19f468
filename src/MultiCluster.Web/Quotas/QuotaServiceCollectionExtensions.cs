using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Hosting;

namespace MultiCluster.Web.Quotas;

public static class QuotaServiceCollectionExtensions
{
    /// <summary>Quota policies kept true across the fleet: the engine (<see cref="EngineServiceCollectionExtensions.AddReconcileEngine"/>) and the policies' service.</summary>
    public static IServiceCollection AddQuotaPolicies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReconcileEngine(configuration);
        services.AddQuotaReconciler();
        services.AddSingleton<QuotaPolicies>();
        services.AddHostedService(sp => sp.GetRequiredService<QuotaPolicies>());
        return services;
    }
}
