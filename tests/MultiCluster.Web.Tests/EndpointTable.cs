using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MultiCluster.Web.Tests;

/// <summary>The app's endpoints as the router holds them, for tests that check every one of them.</summary>
public static partial class EndpointTable
{
    public static IEnumerable<RouteEndpoint> Of(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    /// <summary>The route as written, with one leading slash and no trailing one.</summary>
    public static string Pattern(RouteEndpoint endpoint) => "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');

    /// <summary>A path that reaches the route, every parameter filled with "test".</summary>
    public static string Concrete(string pattern) => Parameter().Replace(pattern, "test").Replace("**", "", StringComparison.Ordinal);

    public static bool IsStaticFile(string pattern) => StaticFile().IsMatch(pattern);

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\.(css|js|mjs|svg|png|ico|woff2?|ttf|map|json|gz|br|wasm|txt)$")]
    private static partial Regex StaticFile();
}
