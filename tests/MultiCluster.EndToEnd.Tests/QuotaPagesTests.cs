using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>A quota policy made in the browser reaches a namespace made with kubectl, and an edit behind its back is repaired.</summary>
public sealed class QuotaPagesTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_policy_created_in_the_browser_writes_its_quota_into_a_new_namespace_and_repairs_a_kubectl_edit()
    {
        await using var dashboard = await DashboardProcess.StartWithDemoAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard, "/quotas");
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        // The demo ships its own policy.
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "team-defaults" })).ToBeVisibleAsync(new() { Timeout = 60_000 });

        await page.GetByTestId("quota-create").ClickAsync();
        var editor = page.GetByRole(AriaRole.Dialog);
        await editor.GetByLabel("Name", new() { Exact = true }).FillAsync("payments-limits");
        await editor.GetByLabel("Cluster labels").FillAsync("env=dev");
        await editor.GetByLabel("Namespace labels").FillAsync("tier=payments");
        await editor.GetByLabel("Resource").First.FillAsync("pods");
        await editor.GetByLabel("Hard").First.FillAsync("20");
        await editor.GetByTestId("quota-editor-preview").ClickAsync();
        await Assertions.Expect(editor.GetByTestId("quota-preview")).ToBeVisibleAsync();
        await Assertions.Expect(editor.GetByTestId("quota-editor-save")).ToBeEnabledAsync();
        await editor.GetByTestId("quota-editor-save").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "payments-limits" })).ToBeVisibleAsync();

        var kubeconfig = Path.Combine(dashboard.DataDirectory, "demo.kubeconfig");
        await RunAsync(kubeconfig, "create", "namespace", "team-x");
        await RunAsync(kubeconfig, "label", "namespace", "team-x", "tier=payments");

        // How soon the quota arrives is the quotas benchmark's figure; here, that it arrives and the page says so.
        await page.GotoAsync(new Uri(dashboard.BaseUrl, "/quotas/payments-limits").ToString());
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        var row = page.GetByTestId("quota-target").Filter(new() { Has = page.GetByTestId("quota-target-namespace").GetByText("team-x", new() { Exact = true }) });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "InSync", new() { Timeout = 30_000 });
        Assert.Equal("20", await RunAsync(kubeconfig, "get", "resourcequota", "mc-payments-limits", "-n", "team-x", "-o", "jsonpath={.spec.hard.pods}"));

        await RunAsync(kubeconfig, "patch", "resourcequota", "mc-payments-limits", "-n", "team-x", "--type", "merge", "-p", """{"spec":{"hard":{"pods":"99"}}}""");

        await WaitForAsync(async () => await RunAsync(kubeconfig, "get", "resourcequota", "mc-payments-limits", "-n", "team-x", "-o", "jsonpath={.spec.hard.pods}") == "20",
            "kubectl to show the pod limit repaired to 20");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "InSync");
    }

    private static async Task<string> RunAsync(string kubeconfig, params string[] arguments)
    {
        var (exitCode, output) = await Kubectl.RunAsync(kubeconfig, ["--context", "dev", .. arguments]);
        Assert.True(exitCode == 0, output);
        return output.Trim();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Waited 30 s for {what}.");
            await Task.Delay(200);
        }
    }
}
