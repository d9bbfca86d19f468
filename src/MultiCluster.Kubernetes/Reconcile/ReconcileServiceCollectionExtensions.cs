using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Kubernetes.Reconcile;

public static class ReconcileServiceCollectionExtensions
{
    /// <summary>
    /// The engine for quota policies over the fleet state (<see cref="FleetServiceCollectionExtensions.AddFleetState{TSource}"/>),
    /// writing with the watched clusters' clients; <see cref="ReconcileOptions"/> and an <see cref="IReconcileJournal"/> as
    /// registered before. Resolve it as the keyed <see cref="ReconcileEngine"/> <c>policy</c>.
    /// </summary>
    public static IServiceCollection AddQuotaReconciler(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ReconcileOptions());
        services.TryAddSingleton<IClusterClients>(sp => sp.GetRequiredService<FleetWatcher>());
        services.AddSingleton<QuotaPolicySource>();
        services.AddKeyedSingleton(QuotaPolicySource.OwnerKindKey, (sp, _) => new ReconcileEngine(
            sp.GetRequiredService<QuotaPolicySource>(), sp.GetRequiredService<FleetStateStore>(), sp.GetRequiredService<IClusterClients>(),
            sp.GetRequiredService<IReconcileJournal>(), sp.GetRequiredService<ReconcileOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ReconcileEngine>>()));
        services.AddHostedService(sp => sp.GetRequiredKeyedService<ReconcileEngine>(QuotaPolicySource.OwnerKindKey));
        return services;
    }
}
