using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>The live pages on the demo clusters, changed from outside with kubectl, watched in Chromium.</summary>
public sealed class FleetPagesTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_pod_made_with_kubectl_appears_on_the_pods_page_within_2_seconds_and_leaves_when_deleted()
    {
        await using var dashboard = await DashboardProcess.StartWithDemoAsync();
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

        var kubeconfig = Path.Combine(dashboard.DataDirectory, "demo.kubeconfig");
        var clock = Stopwatch.StartNew();
        var (created, output) = await Kubectl.RunAsync(kubeconfig, "--context", "dev", "run", "e2e-probe", "--image=busybox", "--restart=Never");
        Assert.True(created == 0, output);
        await Assertions.Expect(page.GetByTestId("pod-name")).ToHaveTextAsync("e2e-probe", new() { Timeout = 2_000 });
        var seenAfter = clock.Elapsed;

        var (deleted, deleteOutput) = await Kubectl.RunAsync(kubeconfig, "--context", "dev", "delete", "pod", "e2e-probe", "--grace-period=0", "--wait=false");
        Assert.True(deleted == 0, deleteOutput);
        await Assertions.Expect(page.GetByTestId("pod-name")).ToHaveCountAsync(0, new() { Timeout = 2_000 });
        Assert.True(seenAfter < TimeSpan.FromSeconds(5), string.Create(CultureInfo.InvariantCulture, $"seen after {seenAfter.TotalSeconds:0.0} s including kubectl"));

        // The cluster page has the cluster's deployments watched (not by default) while it is open.
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/clusters/dev").ToString());
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Deployments") }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("deployment-name").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_crash_looping_demo_pod_shows_what_its_previous_container_printed()
    {
        await using var dashboard = await DashboardProcess.StartWithDemoAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard, "/pods?status=CrashLoopBackOff");

        var crashing = page.GetByTestId("pod-name").First;
        await Assertions.Expect(crashing).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var href = await crashing.Locator("a").GetAttributeAsync("href");
        Assert.StartsWith("/clusters/prod-eu-west/pods/team-a/", href, StringComparison.Ordinal);

        await page.GotoAsync(new Uri(dashboard.BaseUrl, href + "?previous=true").ToString());
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        await Assertions.Expect(page.GetByTestId("log-previous")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("log-view")).ToContainTextAsync("fatal: container exiting", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("pod-containers")).ToContainTextAsync("CrashLoopBackOff");
        var download = await page.GetByTestId("log-download").GetAttributeAsync("href");
        Assert.Contains("previous=true", download, StringComparison.Ordinal);
    }
}
