using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>
/// The Virtual clusters page on the demo, in Chromium: its running and paused vClusters listed, one created with progress
/// to Running, its pods opened (made inside with kubectl through the downloaded kubeconfig), paused, resumed and deleted,
/// with a screenshot at each step (bin/…/screenshots/vclusters-*.png).
/// </summary>
public sealed class VirtualClusterPagesTests(ChromiumFixture chromium, ITestOutputHelper testOutput) : IClassFixture<ChromiumFixture>
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task A_vcluster_is_created_watched_opened_paused_resumed_and_deleted_from_the_page()
    {
        await using var dashboard = (await DashboardProcess.StartWithDemoAsync(virtualClusters: true)).ReportingTo(testOutput);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1400, Height = 900 }, AcceptDownloads = true });
        var page = await SignIn.AsAdminAsync(context, dashboard, "/virtual-clusters");
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();

        // The demo's two: sandbox runs, preview is paused.
        await Assertions.Expect(Status(page, "dev/vcluster-sandbox/sandbox")).ToHaveTextAsync("Running", new() { Timeout = 120_000 });
        await Assertions.Expect(Status(page, "dev/vcluster-preview/preview")).ToHaveTextAsync("Paused", new() { Timeout = 60_000 });
        await ShotAsync(page, "1-list");

        await page.GetByTestId("vcluster-create").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByTestId("vcluster-host").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "dev", Exact = true }).ClickAsync();
        // Until the server has taken the choice the select's menu is open there, and MudSelect answers the focus leaving it (the
        // option's pointerdown) by focusing itself again, a round trip later. Landing between Fill's focus of Name and its typing,
        // that focus sends the name to the select, and Create stays disabled. It is sent before the render that shows the choice.
        await Assertions.Expect(dialog.GetByTestId("vcluster-host")).ToHaveTextAsync("dev");
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync("tenant-e2e");
        await dialog.GetByTestId("vcluster-submit").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("vcluster-progress")).ToContainTextAsync("Created StatefulSet tenant-e2e");
        await ShotAsync(page, "2-progress");
        await Assertions.Expect(dialog.GetByTestId("vcluster-result")).ToContainTextAsync("registered as cluster tenant-e2e", new() { Timeout = 120_000 });
        await ShotAsync(page, "3-created");
        await dialog.GetByTestId("vcluster-close").ClickAsync();
        const string key = "dev/vcluster-tenant-e2e/tenant-e2e";
        await Assertions.Expect(Status(page, key)).ToHaveTextAsync("Running", new() { Timeout = 60_000 });

        // Connect: the downloaded kubeconfig works with kubectl, whose Deployment's pods the dashboard then shows.
        var download = await page.RunAndWaitForDownloadAsync(() => Row(page, key).GetByTestId("vcluster-connect").ClickAsync());
        var kubeconfig = Path.Combine(dashboard.DataDirectory, "tenant-e2e.kubeconfig");
        await download.SaveAsAsync(kubeconfig);
        var (exitCode, output) = await Kubectl.RunAsync(kubeconfig, "--context", "vcluster_tenant-e2e_vcluster-tenant-e2e_dev", "create", "deployment", "web", "--image=nginx", "--replicas=2", "-n", "default");
        Assert.True(exitCode == 0, output);
        await Row(page, key).GetByTestId("vcluster-registered").ClickAsync();
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/pods?cluster=tenant-e2e").ToString());
        await Assertions.Expect(page.GetByTestId("pod-name").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^web-") })).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await ShotAsync(page, "4-pods");

        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/virtual-clusters").ToString());
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        await Row(page, key).GetByTestId("vcluster-pause").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Assertions.Expect(Status(page, key)).ToHaveTextAsync("Paused", new() { Timeout = 30_000 });
        await ShotAsync(page, "5-paused");
        var (_, pausedState) = await Kubectl.RunAsync(Path.Combine(dashboard.DataDirectory, "demo.kubeconfig"), "--context", "dev", "get", "statefulset", "tenant-e2e", "-n", "vcluster-tenant-e2e", "-o", "jsonpath={.metadata.annotations.loft\\.sh/paused}/{.spec.replicas}");
        Assert.Equal("true/0", pausedState.Trim());

        await Row(page, key).GetByTestId("vcluster-resume").ClickAsync();
        await Assertions.Expect(Status(page, key)).ToHaveTextAsync("Running", new() { Timeout = 60_000 });
        await ShotAsync(page, "6-resumed");

        await Row(page, key).GetByTestId("vcluster-delete").ClickAsync();
        var confirm = page.GetByTestId("vcluster-delete-dialog");
        await Assertions.Expect(confirm.GetByTestId("vcluster-delete-plan")).ToContainTextAsync("StatefulSet tenant-e2e");
        await Assertions.Expect(confirm.GetByTestId("vcluster-delete-plan")).ToContainTextAsync("Namespace vcluster-tenant-e2e");
        await confirm.GetByRole(AriaRole.Textbox).FillAsync("tenant-e2e");
        await ShotAsync(page, "7-delete");
        await page.GetByTestId("vcluster-delete-submit").ClickAsync();
        await Assertions.Expect(Row(page, key)).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await ShotAsync(page, "8-deleted");
    }

    private static ILocator Row(IPage page, string key) => page.Locator($"[data-testid=vcluster-row][data-key='{key}']");

    private static ILocator Status(IPage page, string key) => Row(page, key).GetByTestId("vcluster-status");

    private static Task ShotAsync(IPage page, string step) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"vclusters-{step}.png") });
}
