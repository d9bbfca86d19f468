using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>The live pages on the demo clusters (one at a time: each starts its own demo on free ports), watched in Chromium.</summary>
public sealed partial class FleetPagesTests(ChromiumFixture chromium, ITestOutputHelper testOutput) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_pod_made_with_kubectl_appears_on_the_pods_page_and_leaves_when_deleted()
    {
        await using var dashboard = (await DashboardProcess.StartWithDemoAsync()).ReportingTo(testOutput);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard, "/");
        // The overview shows the three demo clusters, live, once they are synced.
        await Assertions.Expect(page.GetByTestId("overview-cluster")).ToHaveCountAsync(3, new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("cluster-health").Filter(new() { HasText = "Synced" })).ToHaveCountAsync(3, new() { Timeout = 60_000 });

        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/pods?cluster=dev").ToString());
        // Type only once the page is live: the prerendered page would drop what was typed.
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByTestId("pod-search").FillAsync("e2e-probe");
        await Assertions.Expect(page.GetByTestId("no-pods")).ToBeVisibleAsync();

        // How soon a new pod reaches a subscriber is the fleet benchmark's figure (pod created → hub client has it, p99),
        // not a wall-clock bound in a browser test on a loaded machine.
        var kubeconfig = Path.Combine(dashboard.DataDirectory, "demo.kubeconfig");
        var (created, output) = await Kubectl.RunAsync(kubeconfig, "--context", "dev", "run", "e2e-probe", "--image=busybox", "--restart=Never");
        Assert.True(created == 0, output);
        await Assertions.Expect(page.GetByTestId("pod-name")).ToHaveTextAsync("e2e-probe");

        var (deleted, deleteOutput) = await Kubectl.RunAsync(kubeconfig, "--context", "dev", "delete", "pod", "e2e-probe", "--grace-period=0", "--wait=false");
        Assert.True(deleted == 0, deleteOutput);
        await Assertions.Expect(page.GetByTestId("pod-name")).ToHaveCountAsync(0);

        // The cluster filter picks another cluster's pods.
        await page.GetByTestId("pod-search").FillAsync("");
        await page.GetByTestId("pod-cluster").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "prod-eu-west", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("pod-name").First.Locator("a")).ToHaveAttributeAsync("href", new Regex("^/clusters/prod-eu-west/pods/"));

        // The cluster page has the cluster's deployments watched (not by default) while it is open.
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/clusters/dev").ToString());
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        var deployments = page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Deployments") });
        await deployments.ClickAsync();
        // Two steps, so a failure says which: the click selected the tab, then the watched deployments show in it.
        await Assertions.Expect(deployments).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.GetByTestId("deployment-name").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_crash_looping_demo_pod_shows_what_its_previous_container_printed()
    {
        await using var dashboard = (await DashboardProcess.StartWithDemoAsync()).ReportingTo(testOutput);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard, "/pods?status=CrashLoopBackOff");

        var crashing = page.GetByTestId("pod-name").First;
        await Assertions.Expect(crashing).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var href = await crashing.Locator("a").GetAttributeAsync("href");
        Assert.StartsWith("/clusters/prod-eu-west/pods/team-a/", href, StringComparison.Ordinal);
        // The rows are in the page's HTML: they show before the page's live connection has started.
        var html = await (await context.APIRequest.GetAsync(new Uri(dashboard.BaseUrl, "/pods?status=CrashLoopBackOff").ToString())).TextAsync();
        Assert.Contains($"href=\"{href}\"", html, StringComparison.Ordinal);

        await page.GotoAsync(new Uri(dashboard.BaseUrl, href + "?previous=true").ToString());
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        await Assertions.Expect(page.GetByTestId("log-previous")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("log-view")).ToContainTextAsync("fatal: container exiting", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("pod-containers")).ToContainTextAsync("CrashLoopBackOff");
        var download = await page.GetByTestId("log-download").GetAttributeAsync("href");
        Assert.Contains("previous=true", download, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_crash_loop_is_on_the_triage_page_can_be_acknowledged_and_opens_its_previous_logs()
    {
        await using var dashboard = (await DashboardProcess.StartWithDemoAsync()).ReportingTo(testOutput);
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
        // The counter follows the fleet on its own: wait until it counts both rows the page shows, not just any number.
        var counter = page.GetByTestId("triage-counter");
        await Assertions.Expect(counter).ToHaveTextAsync(TwoOrMore());
        var open = int.Parse(await counter.TextContentAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture);

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

    // The demo has at least two open critical problems: the crash loop and the NotReady node.
    [GeneratedRegex("^([2-9]|[1-9][0-9]+)$")]
    private static partial Regex TwoOrMore();

    [GeneratedRegex("/clusters/prod-eu-west/pods/team-a/[^?]+\\?previous=true$")]
    private static partial Regex PreviousLogs();
}
