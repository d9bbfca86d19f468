using MultiCluster.Data.Replicas;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Health;

namespace MultiCluster.Web.Hosting;

public static class ReplicaServiceCollectionExtensions
{
    /// <summary>
    /// Several replicas on one PostgreSQL registry: changes others must see come as notifications (<see cref="RegistryListener"/>,
    /// followed by <see cref="RegistryFollowing"/>), and only the leader (<see cref="RegistryLeadership"/>) writes to clusters.
    /// On SQLite there is one replica: it always leads and nothing is listened for.
    /// </summary>
    public static IServiceCollection AddReplicas(this IServiceCollection services)
    {
        services.AddSingleton<RegistryListener>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistryListener>());
        services.AddHostedService<RegistryFollowing>();
        services.AddSingleton<RegistryLeadership>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistryLeadership>());
        services.AddSingleton<IWriteFence, LeadershipFence>();
        services.AddSingleton<IRepairRelay, RegistryRepairRelay>();
        services.AddHealthChecks().AddCheck<LeadershipHealthCheck>("leadership", tags: [HealthTags.Ready]);
        return services;
    }
}
