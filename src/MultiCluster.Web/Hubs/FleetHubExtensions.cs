using System.Text.Json.Serialization;

namespace MultiCluster.Web.Hubs;

public static class FleetHubExtensions
{
    public static IServiceCollection AddFleetHub(this IServiceCollection services)
    {
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return services;
    }

    public static WebApplication MapFleetHub(this WebApplication app)
    {
        app.MapHub<FleetHub>(FleetHub.Path);
        return app;
    }
}
