using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MultiCluster.Web.Tests;

/// <summary>
/// Every endpoint the app maps, enumerated rather than hand-picked, is refused to an anonymous client,
/// except a short list that must be open (sign-in, probes, error pages, static files).
/// </summary>
public sealed partial class EndpointSecurityTests : IDisposable
{
    private static readonly HashSet<string> OpenOnPurpose = new(StringComparer.Ordinal)
    {
        "/account/login", "/account/access-denied", "/healthz", "/readyz", "/not-found", "/error",
        "/account/external-login", "/account/external-callback",
    };

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("mc-web-tests-").FullName;

    [Fact]
    public async Task Every_endpoint_refuses_anonymous_clients_unless_it_is_open_on_purpose()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Development");
            host.UseSetting("MultiCluster:DataDirectory", _dataDirectory);
            host.UseSetting("MC_BOOTSTRAP_PASSWORD", "bootstrap-password-for-tests");
            host.UseSetting("Demo:Enabled", "false");
        });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var checkedCount = 0;
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            if (anonymous)
            {
                if (!OpenOnPurpose.Contains(pattern) && !IsStaticFile(pattern))
                {
                    problems.Add($"{pattern} allows anonymous access but is not on the list of open endpoints");
                }
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods.Where(m => m != "OPTIONS"))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(pattern));
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }
                using var response = await client.SendAsync(request);
                checkedCount++;
                var refused = response.StatusCode is HttpStatusCode.Unauthorized
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/account/login", StringComparison.Ordinal) == true);
                if (!refused)
                {
                    problems.Add($"{method} {pattern} answered {(int)response.StatusCode} to an anonymous client");
                }
            }
        }

        Assert.Empty(problems);
        Assert.True(checkedCount >= 15, $"only {checkedCount} protected endpoints were found; the enumeration is broken");
    }

    private static string Concrete(string pattern) => Parameter().Replace(pattern, "test").Replace("**", "", StringComparison.Ordinal);

    private static bool IsStaticFile(string pattern) => StaticFile().IsMatch(pattern);

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\.(css|js|mjs|svg|png|ico|woff2?|ttf|map|json|gz|br|wasm|txt)$")]
    private static partial Regex StaticFile();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
