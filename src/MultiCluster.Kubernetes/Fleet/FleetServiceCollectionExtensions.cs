using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Kubernetes.Fleet;

public static class FleetServiceCollectionExtensions
{
    /// <summary>
    /// The live fleet state: the store, and a watcher per registered cluster fed by
    /// <typeparamref name="TSource"/>, which says which clusters exist.
    /// </summary>
    public static IServiceCollection AddFleetState<TSource>(this IServiceCollection services)
        where TSource : class, IWatchedClusterSource
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new InformerOptions());
        services.AddSingleton(new FleetStoreOptions());
        services.AddSingleton(sp => new FleetStateStore(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<FleetStoreOptions>()));
        services.AddSingleton(new StringPool());
        services.AddSingleton<FleetProjections>();
        services.AddSingleton<IWatchedClusterSource, TSource>();
        services.AddSingleton<FleetWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<FleetWatcher>());
        return services;
    }
}
