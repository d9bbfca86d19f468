using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

public sealed partial class SignInTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_fresh_start_prints_a_one_time_password_that_signs_in_and_must_be_changed()
    {
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["MC_BOOTSTRAP_PASSWORD"] = "" });
        var password = OneTimePassword().Match(dashboard.Output).Groups[1].Value;
        Assert.Matches("^[A-Za-z0-9]{20}$", password);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/audit").ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?ReturnUrl=%2Faudit$"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "sign-in.png") });
        await SignIn.SubmitLoginAsync(page, "admin", password);

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/change-password"));
        await Assertions.Expect(page.GetByText("This password was given to you to sign in once.")).ToBeVisibleAsync();
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/clusters").ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/change-password$"));
    }

    [Fact]
    public async Task Wrong_passwords_are_refused_then_the_address_waits_while_the_account_stays_open()
    {
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["SignIn__AttemptsPerWindow"] = "3" });
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(dashboard.BaseUrl.ToString());

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await SignIn.SubmitLoginAsync(page, attempt == 2 ? "no-such-user" : "admin", "not-the-password");
            await Assertions.Expect(page.GetByTestId("sign-in-error")).ToHaveTextAsync("The user name or password is not right.");
        }

        // This address has used its attempts: it waits, even with the right password ...
        await SignIn.SubmitLoginAsync(page, "admin", DashboardProcess.BootstrapPassword);
        await Assertions.Expect(page.GetByTestId("sign-in-error")).ToHaveTextAsync("Too many sign-in attempts from your address. Wait a minute, then try again.");
        // ... but nothing is locked: automation with a token goes on.
        var (exitCode, _, error) = await dashboard.RunAdminAsync("create-service-account", "--user", "ci", "--role", "Viewer");
        Assert.True(exitCode == 0, error);
        var (tokenExit, token, tokenError) = await dashboard.RunAdminAsync("create-token", "--user", "ci", "--name", "ci", "--expires", "1h");
        Assert.True(tokenExit == 0, tokenError);
        using var api = new HttpClient { BaseAddress = dashboard.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Trim());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/v1/clusters")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var dashboard = await DashboardProcess.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("admin");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login$"));
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/pods").ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?ReturnUrl=%2Fpods$"));
    }

    [Fact]
    public async Task Anonymous_clients_get_nothing_but_the_sign_in_page_probes_and_styles()
    {
        await using var dashboard = await DashboardProcess.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = dashboard.BaseUrl };

        foreach (var path in new[] { "/", "/clusters", "/pods", "/triage", "/quotas", "/access", "/virtual-clusters", "/audit", "/account/change-password" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        }
        using (var negotiate = await http.PostAsync("/_blazor/negotiate?negotiateVersion=1", null))
        {
            Assert.False(negotiate.IsSuccessStatusCode, $"negotiate answered {(int)negotiate.StatusCode}");
        }
        using (var circuit = await http.GetAsync("/_blazor?id=anonymous"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, circuit.StatusCode);
        }
        using (var logout = await http.PostAsync("/account/logout", null))
        {
            // The sign-in challenge (with a return URL), not the sign-out's own redirect.
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
            Assert.StartsWith("/account/login?ReturnUrl=", logout.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        }
        foreach (var path in new[] { "/account/login", "/healthz", "/readyz", "/favicon.svg", "/css/app.css" })
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }
    }

    [GeneratedRegex("one-time password: (\\S+)")]
    private static partial Regex OneTimePassword();
}
