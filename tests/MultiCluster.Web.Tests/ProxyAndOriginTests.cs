using System.Net;
using MultiCluster.Data;

namespace MultiCluster.Web.Tests;

/// <summary>The hub refuses browsers of other origins; behind a TLS proxy the app knows it is HTTPS.</summary>
public sealed class ProxyAndOriginTests
{
    [Fact]
    public async Task A_page_of_another_origin_cannot_use_a_signed_in_browsers_cookie_on_the_hub()
    {
        await using var dashboard = new TestDashboard(("Hub:AllowedOrigins:0", "https://tools.example.com"));
        await dashboard.CreateUserAsync("bea", DashboardRoles.Viewer);
        using var browser = await dashboard.SignedInBrowserAsync("bea");

        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(browser, "http://localhost:5081")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(browser, "http://evil.localhost")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(browser, "http://localhost")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(browser, "https://tools.example.com")).StatusCode);

        // The Blazor circuit takes the same cookie, and gets the same check (its own origin only).
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(browser, "http://localhost:5081", "/_blazor")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await NegotiateAsync(browser, "https://tools.example.com", "/_blazor")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(browser, "http://localhost", "/_blazor")).StatusCode);

        // A tool with a token sends no cookie: its Origin, if any, does not matter.
        using var tool = dashboard.ApiClient(await dashboard.TokenForNewUserAsync("tool", DashboardRoles.Viewer));
        Assert.Equal(HttpStatusCode.OK, (await NegotiateAsync(tool, "http://anything.example")).StatusCode);
    }

    [Fact]
    public async Task Behind_a_tls_proxy_the_session_cookie_is_secure_and_hsts_is_sent()
    {
        await using var dashboard = new TestDashboard("Production",
            ("ForwardedHeaders:Enabled", "true"),
            ("MC_MASTER_KEY", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
        await dashboard.CreateUserAsync("pat", DashboardRoles.Viewer);
        using var browser = dashboard.BrowserClient();
        using var signedIn = await TestDashboard.PostSignInAsync(browser, "pat", TestDashboard.Password,
            [new("X-Forwarded-Proto", "https"), new("X-Forwarded-Host", "dashboard.example.com")]);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mc-session=", StringComparison.Ordinal));
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.True(signedIn.Headers.Contains("Strict-Transport-Security"), "HSTS is sent for a request the proxy received over HTTPS.");

        // Over plain HTTP to a host other than localhost the cookie would be dropped: the sign-in page says so.
        using var plain = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        plain.Headers.Host = "dashboard.example.com";
        Assert.Contains("data-testid=\"sign-in-needs-https\"", await (await browser.SendAsync(plain)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        forwarded.Headers.Host = "dashboard.example.com";
        forwarded.Headers.Add("X-Forwarded-Proto", "https");
        Assert.DoesNotContain("sign-in-needs-https", await (await browser.SendAsync(forwarded)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> NegotiateAsync(HttpClient client, string origin, string hub = "/hubs/fleet")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{hub}/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }
}
