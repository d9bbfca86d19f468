using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MultiCluster.Tests;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>The dashboard on a PostgreSQL server of the test's own, stopped and started again under an open page.</summary>
public sealed partial class RegistryOutagePageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>The probe notices within 5 s; a loaded machine gets the rest.</summary>
    private static readonly LocatorAssertionsToHaveCountOptions Notice = new() { Timeout = 30_000 };

    [Fact]
    public async Task The_banner_comes_when_PostgreSQL_stops_and_goes_when_it_answers_again_without_a_reload()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var dashboard = await DashboardProcess.StartOnPostgresAsync(postgres.ConnectionString);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard);
        var banner = page.GetByTestId("registry-banner");
        await Assertions.Expect(banner).ToHaveCountAsync(0);
        // Set on this document only: a reload would lose it.
        await page.EvaluateAsync("() => window.sameDocument = true");

        await postgres.StopAsync();

        await Assertions.Expect(banner).ToHaveCountAsync(1, Notice);
        await Assertions.Expect(banner).ToHaveTextAsync(BannerText());

        await postgres.StartAgainAsync();

        await Assertions.Expect(banner).ToHaveCountAsync(0, Notice);
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "The page was reloaded.");
        // The live connection went on throughout: a page that reads the registry opens in it.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" }).GetByRole(AriaRole.Link, new() { Name = "Clusters", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("no-clusters").Or(page.GetByTestId("cluster-table"))).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "Opening Clusters reloaded the page.");
    }

    [GeneratedRegex(@"^\s*The registry database is unreachable since \d\d:\d\d UTC; live cluster state still updates; changes are paused\.\s*$")]
    private static partial Regex BannerText();
}
