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
        // The Blazor circuit takes the same cookie, so it gets the same check (its own origin only).
        app.UseWhen(context => context.Request.Path.StartsWithSegments(FleetHub.Path) || context.Request.Path.StartsWithSegments(HubOriginCheck.CircuitPath),
            hub => hub.UseMiddleware<HubOriginCheck>());
        app.MapHub<FleetHub>(FleetHub.Path);
        return app;
    }
}

/// <summary>
/// Cross-site WebSocket hijacking: a page of another origin (another port of localhost, a sibling subdomain) can open
/// a hub with the user's cookie. A request to the fleet hub or the Blazor circuit that carries the session cookie and
/// an Origin must come from the app's own host (as the request names it: behind a proxy, keep the Host header or
/// turn on ForwardedHeaders) or, for the fleet hub, from <see cref="FleetHubOptions.AllowedOrigins"/>; clients with a
/// token (no cookie) need no Origin.
/// </summary>
public sealed class HubOriginCheck(RequestDelegate next, Microsoft.Extensions.Options.IOptions<FleetHubOptions> options,
    Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> cookies)
{
    public const string CircuitPath = "/_blazor";

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
        return context.Response.WriteAsync($"Origin {origin} may not use this dashboard's hubs with a browser session; add it to Hub:AllowedOrigins, or connect with a token.");
    }

    private bool Allowed(HttpRequest request, string origin)
    {
        // The scheme is left out: behind a TLS proxy the app may see http for what the browser sent over https.
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && IsOrigin(origin)
            && string.Equals(uri.IsDefaultPort ? uri.Host : uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return request.Path.StartsWithSegments(FleetHub.Path)
            && options.Value.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
