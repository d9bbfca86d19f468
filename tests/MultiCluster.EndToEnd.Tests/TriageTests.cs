using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>The on-call engineer's page on the demo clusters, in Chromium.</summary>
public sealed partial class TriageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task The_demo_crash_loop_is_on_the_triage_page_can_be_acknowledged_and_opens_its_previous_logs()
    {
        await using var dashboard = await DashboardProcess.StartWithDemoAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard, "/triage");
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        // The demo's trouble: a crash-looping pod in prod-eu-west/team-a and a NotReady node in prod-us-east.
        var crash = page.GetByTestId("triage-row").Filter(new() { HasText = "CrashLoopBackOff" });
        await Assertions.Expect(crash).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(crash).ToContainTextAsync("team-a/");
        await Assertions.Expect(crash.GetByTestId("triage-kubectl")).ToContainTextAsync("kubectl --context prod-eu-west -n team-a logs");
        var node = page.GetByTestId("triage-row").Filter(new() { HasText = "NotReady" });
        await Assertions.Expect(node).ToContainTextAsync("prod-us-east-worker3", new() { Timeout = 60_000 });
        var counter = page.GetByTestId("triage-counter");
        await Assertions.Expect(counter).ToHaveTextAsync(Number());
        var open = int.Parse(await counter.TextContentAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(open >= 2, $"The navigation counts {open} open critical problems; the demo has at least two.");

        await crash.GetByTestId("triage-acknowledge").ClickAsync();
        await page.GetByTestId("acknowledge-note").FillAsync("e2e: rolling back");
        await page.GetByTestId("acknowledge-save").ClickAsync();

        await Assertions.Expect(crash.GetByTestId("triage-handling")).ToContainTextAsync("Acknowledged by admin");
        await Assertions.Expect(crash.GetByTestId("triage-handling")).ToContainTextAsync("e2e: rolling back");
        await Assertions.Expect(counter).ToHaveTextAsync((open - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Everyone sees it, after a reload too: it is in the registry.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await Assertions.Expect(crash.GetByTestId("triage-handling")).ToContainTextAsync("e2e: rolling back");

        await crash.GetByTestId("triage-open").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(PreviousLogs());
        await Assertions.Expect(page.GetByTestId("log-previous")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("log-view")).ToContainTextAsync("fatal: container exiting", new() { Timeout = 30_000 });
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Number();

    [GeneratedRegex("/clusters/prod-eu-west/pods/team-a/[^?]+\\?previous=true$")]
    private static partial Regex PreviousLogs();
}
