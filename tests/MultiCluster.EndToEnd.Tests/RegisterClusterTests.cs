using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.EndToEnd.Tests;

public sealed class RegisterClusterTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task An_admin_pastes_a_kubeconfig_picks_two_contexts_and_sees_them_registered()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters =
            [
                new ClusterOptions { Name = "east", KubernetesVersion = "v1.31.4", Nodes = 1 },
                new ClusterOptions { Name = "west", KubernetesVersion = "v1.32.2", Nodes = 1 },
                new ClusterOptions { Name = "lab", KubernetesVersion = "v1.30.1", Nodes = 1 },
            ],
        });
        // Everything the dashboard says is logged, down to Debug, to look for secrets in it afterwards.
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Debug" });
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await SignIn.AsAdminAsync(context, dashboard, "/clusters");
        await Assertions.Expect(page.GetByTestId("no-clusters")).ToBeVisibleAsync();

        await page.GetByTestId("register-cluster").ClickAsync();
        // "east" and "west" authenticate with client certificates, so their private keys are what must not leak.
        await page.GetByTestId("kubeconfig-text").FillAsync(simulator.BuildKubeconfigYaml(useClientCertificates: true));
        await page.GetByTestId("read-contexts").ClickAsync();
        await Assertions.Expect(page.GetByTestId("context-choice")).ToHaveCountAsync(3);
        await page.GetByLabel("Register context east").CheckAsync();
        await page.GetByLabel("Register context west").CheckAsync();
        await page.GetByTestId("labels").FillAsync("env=test");
        await page.GetByTestId("submit-registration").ClickAsync();

        var names = page.GetByTestId("cluster-table").GetByTestId("cluster-name");
        await Assertions.Expect(names).ToHaveCountAsync(2);
        await Assertions.Expect(names.Nth(0)).ToContainTextAsync("east");
        await Assertions.Expect(names.Nth(1)).ToContainTextAsync("west");
        var versions = page.GetByTestId("cluster-table").GetByTestId("cluster-version");
        await Assertions.Expect(versions.Nth(0)).ToHaveTextAsync("v1.31.4");
        await Assertions.Expect(versions.Nth(1)).ToHaveTextAsync("v1.32.2");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "clusters.png") });

        var (_, token, _) = await dashboard.RunAdminAsync("create-token", "--user", "admin", "--name", "leak-check", "--expires", "1h");
        using var api = new HttpClient { BaseAddress = dashboard.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Trim());
        var seen = string.Join("\n",
            await page.ContentAsync(),
            await api.GetStringAsync("/api/v1/clusters"),
            await api.GetStringAsync("/api/v1/clusters/east"),
            await api.GetStringAsync("/api/v1/audit?take=500"),
            dashboard.Output);
        foreach (var cluster in new[] { simulator["east"], simulator["west"] })
        {
            Assert.DoesNotContain(KeyBody(cluster.ClientKeyPem!), seen, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(cluster.ClientKeyPem!)), seen, StringComparison.Ordinal);
        }
        Assert.Contains("cluster.register", seen, StringComparison.Ordinal);
    }

    /// <summary>The first line of the key's base64 body: enough to recognise any copy of the key.</summary>
    private static string KeyBody(string pem) => pem.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];

    [Fact]
    public async Task A_wrong_token_is_explained_and_nothing_is_registered()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters = [new ClusterOptions { Name = "guarded", Nodes = 1 }],
        });
        var cluster = simulator["guarded"];
        await using var dashboard = await DashboardProcess.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard, "/clusters");

        await page.GetByTestId("register-cluster").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "URL and token" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("guarded");
        await page.GetByLabel("API server URL").FillAsync(cluster.BaseUrl.ToString());
        await page.GetByLabel("Bearer token").FillAsync("a-token-the-cluster-never-issued");
        await page.GetByLabel("CA certificate (PEM)").FillAsync(simulator.CertificateAuthorityPem!);
        await page.GetByTestId("submit-registration").ClickAsync();

        await Assertions.Expect(page.GetByTestId("registration-problems")).ToContainTextAsync(
            "guarded: The connection test failed: The API server refused these credentials (401 Unauthorized)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("no-clusters")).ToBeVisibleAsync();
        Assert.DoesNotContain("a-token-the-cluster-never-issued", dashboard.Output, StringComparison.Ordinal);
    }
}
