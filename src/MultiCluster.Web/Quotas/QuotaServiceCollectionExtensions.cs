using Microsoft.Extensions.Options;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Web.Quotas;

public static class QuotaServiceCollectionExtensions
{
    /// <summary>Quota policies kept true across the fleet: the engine (settings from the Reconcile section), its audit journal, the policies' service.</summary>
    public static IServiceCollection AddQuotaPolicies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReconcileOptions>().Bind(configuration.GetSection(ReconcileOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReconcileOptions>, ReconcileOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ReconcileOptions>>().Value);
        services.AddSingleton<IReconcileJournal, ReconcileAuditJournal>();
        services.AddQuotaReconciler();
        services.AddSingleton<QuotaPolicies>();
        services.AddHostedService(sp => sp.GetRequiredService<QuotaPolicies>());
        return services;
    }

    private sealed class ReconcileOptionsValidator : IValidateOptions<ReconcileOptions>
    {
        public ValidateOptionsResult Validate(string? name, ReconcileOptions options) =>
            options.Validate() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
