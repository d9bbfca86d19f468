using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace MultiCluster.Web.Tests;

/// <summary>
/// Every endpoint the app maps, enumerated rather than hand-picked, is refused to an anonymous client,
/// except a short list that must be open (sign-in, probes, error pages, static files).
/// </summary>
public sealed class EndpointSecurityTests
{
    private static readonly HashSet<string> OpenOnPurpose = new(StringComparer.Ordinal)
    {
        "/account/login", "/account/access-denied", "/healthz", "/readyz", "/not-found", "/error",
        "/account/external-login", "/account/external-callback",
    };

    [Fact]
    public async Task Every_endpoint_refuses_anonymous_clients_unless_it_is_open_on_purpose()
    {
        await using var dashboard = new TestDashboard();
        using var client = dashboard.BrowserClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        var checkedCount = 0;
        var problems = new List<string>();
        foreach (var endpoint in EndpointTable.Of(dashboard.Services))
        {
            var pattern = EndpointTable.Pattern(endpoint);
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            if (anonymous)
            {
                if (!OpenOnPurpose.Contains(pattern) && !EndpointTable.IsStaticFile(pattern))
                {
                    problems.Add($"{pattern} allows anonymous access but is not on the list of open endpoints");
                }
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods.Where(m => m != "OPTIONS"))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), EndpointTable.Concrete(pattern));
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
}
