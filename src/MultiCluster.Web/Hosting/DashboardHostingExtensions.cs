using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MudBlazor;
using MudBlazor.Services;
using MultiCluster.Web.Api;
using MultiCluster.Web.Components;
using MultiCluster.Web.Health;
using MultiCluster.Web.Fleet;
using MultiCluster.Web.Hubs;
using MultiCluster.Web.Identity;
using MultiCluster.Web.Telemetry;

namespace MultiCluster.Web.Hosting;

public static class DashboardHostingExtensions
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>Listens on <see cref="DefaultUrl"/> unless Urls, --urls, ASPNETCORE_URLS or ASPNETCORE_HTTP(S)_PORTS say otherwise.</summary>
    public static WebApplicationBuilder UseDefaultDashboardUrl(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["urls"] ?? builder.Configuration["http_ports"] ?? builder.Configuration["https_ports"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        // Run from a build (dotnet run, a benchmark) with Production settings, the pages still need the packages' scripts
        // and styles; a published app has them in wwwroot and no manifest, and this does nothing.
        if (!builder.Environment.IsDevelopment())
        {
            builder.WebHost.UseStaticWebAssets();
        }
        return builder;
    }

    /// <summary>The Blazor Server UI with MudBlazor, and the health endpoints.</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);
        services.AddDashboardSignIn(configuration);
        services.AddProblemDetails();
        services.AddFleetHub();
        services.AddPodLogs();
        services.AddOpenApi();
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddHealthChecks()
            .AddCheck<RegistryHealthCheck>("registry", tags: [HealthTags.Ready]);
        services.AddRegistryOutageHandling();
        services.AddOptions<RuntimeFiguresOptions>().BindConfiguration(RuntimeFiguresOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<RuntimeFigures>();
        services.AddDashboardTelemetry(configuration);
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        if (ProxySettings.From(app.Configuration) is { Enabled: true } proxy)
        {
            app.UseForwardedHeaders(proxy.ToOptions());
        }
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseRegistryOutageResponses();
        // People get a page for a missing address; machines (API, hub) get the bare status and problem body.
        app.UseWhen(
            context => !SignInServiceCollectionExtensions.IsForMachines(context.Request),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<PasswordChangeGate>();
        app.UseAntiforgery();

        // /healthz: the process answers. /readyz: the registry database is reachable and migrated, and whether this replica leads.
        // Probes sign in to nothing.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Ready), ResponseWriter = HealthReportText.WriteAsync })
            .AllowAnonymous();

        // The sign-in page needs its styles before anyone has signed in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapSingleSignOn();
        app.MapDashboardApi();
        app.MapProblemApi();
        app.MapQuotaPolicyApi();
        app.MapAccessApi();
        app.MapVirtualClusterApi();
        app.MapFleetHub();
        app.MapPodLogDownloads();
        app.MapDashboardMetrics();
        // The API's description, for signed-in users: /openapi/v1.json.
        app.MapOpenApi();
        return app;
    }
}
