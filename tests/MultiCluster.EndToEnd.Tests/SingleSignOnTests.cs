using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

public sealed class SingleSignOnTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_person_signs_in_through_the_identity_provider_with_the_role_of_their_groups()
    {
        await using var provider = await TestOidcProvider.StartAsync();
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Authentication__Oidc__Authority"] = provider.Authority.ToString(),
            ["Authentication__Oidc__ClientId"] = TestOidcProvider.ClientId,
            ["Authentication__Oidc__ClientSecret"] = TestOidcProvider.ClientSecret,
            ["Authentication__Oidc__DisplayName"] = "Example SSO",
            ["Authentication__Oidc__AdministratorGroups"] = "platform-admins",
            ["Authentication__Oidc__RequireHttpsMetadata"] = "false",
        });
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/clusters").ToString());

        await page.GetByTestId("sso").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Uri(dashboard.BaseUrl, "/clusters").ToString());
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("olivia");
        // In the platform-admins group: an Administrator, who may register clusters.
        await Assertions.Expect(page.GetByTestId("register-cluster")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login$"));
        provider.Person = ("sub-olivia", "olivia", ["developers"]);
        await page.GetByTestId("sso").ClickAsync();

        // Same person, groups changed at the provider: now a Viewer.
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("olivia");
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/clusters").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clusters", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("register-cluster")).ToHaveCountAsync(0);
        Assert.DoesNotContain("fail:", dashboard.Output, StringComparison.Ordinal);
    }
}
