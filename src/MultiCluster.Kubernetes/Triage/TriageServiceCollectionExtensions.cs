using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MultiCluster.Kubernetes.Triage;

public static class TriageServiceCollectionExtensions
{
    /// <summary>The triage rules over the fleet state (<see cref="Fleet.FleetServiceCollectionExtensions.AddFleetState{TSource}"/>).</summary>
    public static IServiceCollection AddTriage(this IServiceCollection services, TriageOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<ProblemFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<ProblemFeed>());
        return services;
    }
}
