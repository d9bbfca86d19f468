using Microsoft.Extensions.Options;
using MultiCluster.Kubernetes.Triage;

namespace MultiCluster.Web.Triage;

public static class TriageServiceCollectionExtensions
{
    /// <summary>The triage rules over the fleet (thresholds from the Triage section), with acknowledgements kept in the registry.</summary>
    public static IServiceCollection AddProblemTriage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TriageOptions>().Bind(configuration.GetSection(TriageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TriageOptions>, TriageOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TriageOptions>>().Value);
        services.AddTriage();
        services.AddSingleton<ProblemAcknowledgements>();
        services.AddHostedService(sp => sp.GetRequiredService<ProblemAcknowledgements>());
        return services;
    }

    private sealed class TriageOptionsValidator : IValidateOptions<TriageOptions>
    {
        public ValidateOptionsResult Validate(string? name, TriageOptions options) =>
            options.Validate() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
