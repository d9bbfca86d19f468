namespace MultiCluster.Web.Demo;

public static class DemoServiceCollectionExtensions
{
    public static IServiceCollection AddDemoClusters(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.Section));
        services.AddSingleton<DemoClusters>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoClusters>());
        return services;
    }
}
