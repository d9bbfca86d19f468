using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

public sealed class NavigationTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly string[] Sections =
        ["Overview", "Clusters", "Pods", "Triage", "Quotas", "Access", "Virtual clusters", "Audit"];

    [Fact]
    public async Task A_new_user_sees_every_section_and_can_move_between_them()
    {
        await using var dashboard = await DashboardProcess.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await SignIn.AsAdminAsync(context, dashboard);

        var navigation = page.GetByRole(AriaRole.Navigation);
        foreach (var section in Sections)
        {
            await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = section, Exact = true })).ToBeVisibleAsync();
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Overview");
        await Assertions.Expect(page).ToHaveTitleAsync("Overview · MultiCluster");

        await navigation.GetByRole(AriaRole.Link, new() { Name = "Quotas", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(dashboard.BaseUrl, "/quotas").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Quotas");
        await Assertions.Expect(page.GetByTestId("quota-empty")).ToBeVisibleAsync();

        await navigation.GetByRole(AriaRole.Link, new() { Name = "Virtual clusters", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(dashboard.BaseUrl, "/virtual-clusters").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Virtual clusters");
        await Assertions.Expect(page.GetByTestId("vcluster-empty")).ToContainTextAsync("No vClusters yet");

        await page.GotoAsync(dashboard.BaseUrl.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Overview");
        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "overview.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"The screenshot at {screenshot} is suspiciously small.");
    }

    [Fact]
    public async Task The_dark_theme_is_remembered_after_a_reload()
    {
        await using var dashboard = await DashboardProcess.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard, "/clusters");
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(dashboard.BaseUrl, "/clusters").ToString());
        var toggle = page.GetByTestId("theme-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-label", "Switch to dark theme");

        await toggle.ClickAsync();

        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-label", "Switch to light theme");
        var cookies = await context.CookiesAsync();
        Assert.Contains(cookies, c => c is { Name: "mc-theme", Value: "dark" });

        await page.ReloadAsync();

        // The server renders the remembered theme before any script runs.
        await Assertions.Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-label", "Switch to light theme");
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("theme-toggle")).ToHaveAttributeAsync("aria-label", "Switch to light theme");
    }
}
