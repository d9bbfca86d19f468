using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MultiCluster.EndToEnd.Tests;

public sealed class DemoTests(ChromiumFixture chromium, ITestOutputHelper testOutput) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_fresh_start_shows_three_demo_clusters_and_two_vclusters_and_kubectl_works_beside_the_dashboard()
    {
        await using var dashboard = (await DashboardProcess.StartWithDemoAsync(virtualClusters: true)).ReportingTo(testOutput);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard, "/clusters");

        var names = page.GetByTestId("cluster-table").GetByTestId("cluster-name");
        // Three simulated clusters, and the two vClusters the demo makes on dev (sandbox runs, preview is paused).
        await Assertions.Expect(names).ToHaveCountAsync(5, new() { Timeout = 90_000 });
        await Assertions.Expect(page.GetByTestId("cluster-table")).ToContainTextAsync("sandbox (vCluster on dev)");
        await Assertions.Expect(page.GetByTestId("cluster-table")).ToContainTextAsync("prod-us-east");
        await Assertions.Expect(page.GetByTestId("cluster-table")).ToContainTextAsync("v1.31.4");
        await page.GotoAsync(dashboard.BaseUrl.ToString());
        await Assertions.Expect(page.GetByTestId("cluster-health").Filter(new() { HasText = "Paused" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        // The demo adds its crash-looping Deployment after registering the clusters: wait until the dashboard shows it.
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/pods?status=CrashLoopBackOff").ToString());
        await Assertions.Expect(page.GetByTestId("pod-name").First).ToBeVisibleAsync(new() { Timeout = 60_000 });

        var kubeconfig = Path.Combine(dashboard.DataDirectory, "demo.kubeconfig");
        var (exitCode, output) = await Kubectl.RunAsync(kubeconfig, "--context", "prod-eu-west", "get", "pods", "-A");
        Assert.True(exitCode == 0, output);
        var header = output.Split('\n')[0];
        Assert.Equal(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("CrashLoopBackOff", output, StringComparison.Ordinal);
    }
}
