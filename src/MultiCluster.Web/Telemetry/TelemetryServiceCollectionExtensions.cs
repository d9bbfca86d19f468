using MultiCluster.Kubernetes;
using MultiCluster.Web.Identity;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MultiCluster.Web.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>The OTLP endpoint setting (OpenTelemetry's own name); traces are recorded only when it is set.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Metrics of the dashboard (<see cref="KubernetesTelemetry"/>, <see cref="WebTelemetry"/>), of ASP.NET Core, the
    /// outgoing HTTP clients and the runtime, for Prometheus at <see cref="MetricsPath"/>. With
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, traces (requests served, API calls to clusters) and metrics go there too.
    /// </summary>
    public static IServiceCollection AddDashboardTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("multicluster"))
            .WithMetrics(metrics => metrics
                .AddMeter(KubernetesTelemetry.Name, WebTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            // Without an exporter no activity is recorded at all: tracing costs nothing until someone collects it.
            telemetry.WithTracing(tracing => tracing
                .AddSource(KubernetesTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbeOrScrape(context.Request.Path)))
                .UseOtlpExporter();
        }
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus' text format, for a fleet-wide role (<see cref="DashboardActions.ReadMetrics"/>):
    /// a scraper signs in with a personal access token, as every other tool does.
    /// </summary>
    public static IEndpointRouteBuilder MapDashboardMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(DashboardPolicies.CookieOrToken, DashboardActions.ReadMetrics);
        return endpoints;
    }

    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(MetricsPath);
}
