using Microsoft.Extensions.Options;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Web.Hosting;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// What every engine of the dashboard shares (quota policies, access grants): its settings from the Reconcile section,
    /// checked at start, and its journal in the audit log. Each user of the engine calls it; the first call registers.
    /// </summary>
    public static IServiceCollection AddReconcileEngine(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IReconcileJournal)))
        {
            return services;
        }
        services.AddOptions<ReconcileOptions>().Bind(configuration.GetSection(ReconcileOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReconcileOptions>, ReconcileOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ReconcileOptions>>().Value);
        services.AddSingleton<IReconcileJournal, ReconcileAuditJournal>();
        return services;
    }

    private sealed class ReconcileOptionsValidator : IValidateOptions<ReconcileOptions>
    {
        public ValidateOptionsResult Validate(string? name, ReconcileOptions options) =>
            options.Validate() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
