using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;

namespace MultiCluster.Web.Hubs;

/// <summary><c>Hub:*</c>: who may connect to the hub from a browser, and how often a subscription checks its caller.</summary>
public sealed class FleetHubOptions
{
    public const string Section = "Hub";

    /// <summary>Other origins (scheme://host[:port]) whose pages may use a signed-in browser's cookie on the hub; the app's own origin always may.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

public static class FleetHubExtensions
{
    public static IServiceCollection AddFleetHub(this IServiceCollection services)
    {
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOptions<FleetHubOptions>().BindConfiguration(FleetHubOptions.Section)
            .Validate(o => o.RecheckInterval > TimeSpan.Zero && o.RecheckInterval <= TimeSpan.FromSeconds(30), "Hub:RecheckInterval must be more than zero and at most 30 seconds.")
            .Validate(o => o.AllowedOrigins.All(HubOriginCheck.IsOrigin), "Hub:AllowedOrigins must be origins such as https://tools.example.com (scheme, host, optional port; no path).")
            .ValidateOnStart();
        return services;
    }

    public static WebApplication MapFleetHub(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(FleetHub.Path), hub => hub.UseMiddleware<HubOriginCheck>());
        app.MapHub<FleetHub>(FleetHub.Path);
        return app;
    }
}

/// <summary>
/// Cross-site WebSocket hijacking: a page of another origin (another port of localhost, a sibling subdomain) can open
/// the hub with the user's cookie. A request that carries the session cookie and an Origin must come from the app's own
/// origin or from <see cref="FleetHubOptions.AllowedOrigins"/>; clients with a token (no cookie) need no Origin.
/// </summary>
public sealed class HubOriginCheck(RequestDelegate next, Microsoft.Extensions.Options.IOptions<FleetHubOptions> options,
    Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> cookies)
{
    /// <summary>scheme://host[:port] and nothing more, as browsers send it.</summary>
    public static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && uri.GetLeftPart(UriPartial.Authority).Equals(value.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        var cookieName = cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Name ?? "";
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || !context.Request.Cookies.ContainsKey(cookieName) || Allowed(context.Request, origin))
        {
            return next(context);
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsync($"Origin {origin} may not use this dashboard's hub with a browser session; add it to Hub:AllowedOrigins, or connect with a token.");
    }

    private bool Allowed(HttpRequest request, string origin)
    {
        var own = $"{request.Scheme}://{request.Host}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            || options.Value.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
