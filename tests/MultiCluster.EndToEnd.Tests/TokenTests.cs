using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

public sealed class TokenTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_token_made_on_the_profile_page_opens_the_api_until_it_is_revoked()
    {
        await using var dashboard = await DashboardProcess.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard);
        await page.GetByTestId("signed-in-user").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("admin");

        await page.GetByLabel("Token name").FillAsync("laptop");
        await page.GetByTestId("create-token").ClickAsync();

        var secret = (await page.GetByTestId("new-token").Locator("code").TextContentAsync())!.Trim();
        Assert.StartsWith("mcp_", secret, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("token-table").Locator("tbody tr")).ToContainTextAsync("laptop");
        using var api = new HttpClient { BaseAddress = dashboard.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/clusters")).StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke laptop" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("token-table").Locator("tbody tr")).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/clusters")).StatusCode);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("new-token")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
    }
}
