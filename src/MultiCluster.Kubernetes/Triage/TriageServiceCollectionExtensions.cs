using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MultiCluster.Kubernetes.Triage;

public static class TriageServiceCollectionExtensions
{
    /// <summary>The triage rules over the fleet state (<see cref="Fleet.FleetServiceCollectionExtensions.AddFleetState{TSource}"/>); <see cref="TriageOptions"/> as registered before, else the defaults.</summary>
    public static IServiceCollection AddTriage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new TriageOptions());
        services.AddSingleton<ProblemFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<ProblemFeed>());
        return services;
    }
}
