using System.Diagnostics;
using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

public sealed class DemoTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_fresh_start_shows_three_demo_clusters_and_kubectl_works_beside_the_dashboard()
    {
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Demo__Enabled"] = "true",
            ["Demo__Port"] = DashboardProcess.FreePorts(3).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard, "/clusters");

        var names = page.GetByTestId("cluster-table").GetByTestId("cluster-name");
        await Assertions.Expect(names).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("cluster-table")).ToContainTextAsync("prod-us-east");
        await Assertions.Expect(page.GetByTestId("cluster-table")).ToContainTextAsync("v1.31.4");

        var kubeconfig = Path.Combine(dashboard.DataDirectory, "demo.kubeconfig");
        var (exitCode, output) = await KubectlAsync(kubeconfig, "--context", "prod-eu-west", "get", "pods", "-A");
        Assert.True(exitCode == 0, output);
        var header = output.Split('\n')[0];
        Assert.Equal(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("CrashLoopBackOff", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> KubectlAsync(string kubeconfig, params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl could not be started; ./test.sh installs it.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }
}
