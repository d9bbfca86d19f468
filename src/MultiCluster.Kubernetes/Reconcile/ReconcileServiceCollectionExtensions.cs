using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MultiCluster.Core.Access;
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
        services.AddSingleton<QuotaPolicySource>();
        return services.AddEngine(QuotaPolicySource.OwnerKindKey, sp => sp.GetRequiredService<QuotaPolicySource>());
    }

    /// <summary>The engine for the isolation of vClusters the dashboard created (keyed <c>vcluster-isolation</c>).</summary>
    public static IServiceCollection AddVirtualClusterIsolationReconciler(this IServiceCollection services)
    {
        services.AddSingleton<VirtualClusterIsolationSource>();
        return services.AddEngine(VirtualClusterIsolationSource.OwnerKindKey, sp => sp.GetRequiredService<VirtualClusterIsolationSource>());
    }

    /// <summary>
    /// The engine for access: grants into bindings (keyed <c>grant</c>) and role templates into ClusterRoles (keyed
    /// <c>roletemplate</c>), both fed by one <see cref="AccessSource"/> with <paramref name="options"/>.
    /// </summary>
    public static IServiceCollection AddAccessReconciler(this IServiceCollection services, AccessOptions options)
    {
        services.AddSingleton(new AccessSource(options));
        services.AddEngine(AccessSource.GrantsKey, sp => sp.GetRequiredService<AccessSource>().Grants);
        if (options.BindFleetRoles)
        {
            services.AddEngine(AccessSource.FleetRolesKey, sp => sp.GetRequiredService<AccessSource>().FleetRoleBindings);
        }
        return services.AddEngine(AccessSource.TemplatesKey, sp => sp.GetRequiredService<AccessSource>().Templates);
    }

    /// <summary>One engine (a hosted service, resolvable as the keyed <see cref="ReconcileEngine"/> <paramref name="key"/>) for one source.</summary>
    private static IServiceCollection AddEngine(this IServiceCollection services, string key, Func<IServiceProvider, IReconcileSource> source)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ReconcileOptions());
        services.TryAddSingleton<IClusterClients>(sp => sp.GetRequiredService<FleetWatcher>());
        services.AddKeyedSingleton(key, (sp, _) => new ReconcileEngine(
            source(sp), sp.GetRequiredService<FleetStateStore>(), sp.GetRequiredService<IClusterClients>(),
            sp.GetRequiredService<IReconcileJournal>(), sp.GetRequiredService<ReconcileOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ReconcileEngine>>(), sp.GetService<IWriteFence>(), sp.GetService<IRepairRelay>()));
        // Not AddHostedService: it adds one hosted service per implementation type, and every engine is a ReconcileEngine.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<ReconcileEngine>(key));
        return services;
    }
}
