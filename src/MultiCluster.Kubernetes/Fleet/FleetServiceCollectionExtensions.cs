using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Kubernetes.Fleet;

public static class FleetServiceCollectionExtensions
{
    /// <summary>
    /// The live fleet state: the store, and a watcher per registered cluster fed by
    /// <typeparamref name="TSource"/>, which says which clusters exist; and the <see cref="AddressGuard"/> for clients
    /// made from stored credentials, with <see cref="ClusterAddressOptions"/> as configured (options), else the defaults.
    /// </summary>
    public static IServiceCollection AddFleetState<TSource>(this IServiceCollection services)
        where TSource : class, IWatchedClusterSource
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ClusterAddressOptions>();
        services.TryAddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterAddressOptions>>().Value);
        services.TryAddSingleton(sp => new AddressGuard(sp.GetRequiredService<ClusterAddressOptions>()));
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
