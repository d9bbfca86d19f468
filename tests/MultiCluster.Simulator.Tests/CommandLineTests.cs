using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MultiCluster.Simulator.Tests;

/// <summary>The command-line tool: starts the clusters, writes the kubeconfig, prints one line per cluster and one when the seeded pods run, takes users from a token file, stops on SIGTERM.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task The_tool_serves_clusters_until_terminated()
    {
        var directory = Directory.CreateTempSubdirectory("sim-cli-").FullName;
        var kubeconfig = Path.Combine(directory, "sim.kubeconfig");
        var users = Path.Combine(directory, "users.csv");
        File.WriteAllText(users, "quinn-token,quinn,uid-q,\"team-a,oncall\"\n");
        var tool = Path.Combine(AppContext.BaseDirectory, "MultiCluster.Simulator.dll");
        var info = new ProcessStartInfo("dotnet", $"{tool} --clusters 2 --nodes 2 --pods 4 --port 0 --churn 2 --kubeconfig {kubeconfig} --token-file {users}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var second = await process.StandardOutput.ReadLineAsync(timeout.Token);

            Assert.Matches(@"^sim-1 https://127\.0\.0\.1:\d+/clusters/sim-1$", first);
            Assert.Matches(@"^sim-2 https://127\.0\.0\.1:\d+/clusters/sim-2$", second);
            var kubectl = new Kubectl(kubeconfig, Path.Combine(directory, "cache"));
            var contexts = await kubectl.OkAsync("config get-contexts -o name");
            Assert.Equal(["sim-1", "sim-2"], contexts.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("sim-2-control-plane", await kubectl.OkAsync("get nodes --context sim-2"));
            Assert.Contains("[team-a oncall system:authenticated]", await kubectl.OkAsync("auth whoami --context sim-2 --token quinn-token"));
            var refused = await kubectl.RunAsync("get pods --context sim-1 --token quinn-token");
            Assert.Equal("Error from server (Forbidden): pods is forbidden: User \"quinn\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", refused.Error.Trim());
            // Once the pods asked for run, the tool says so (after compacting its heap, which at scale is a long stop).
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            while (line is not null && !line.StartsWith("seeded:", StringComparison.Ordinal));
            // Churn (--churn 2) may have a pod of its own Running by then: at least the 8 asked for, maybe more.
            var seeded = Regex.Match(line ?? "", @"^seeded: (\d+) of 8 pods Running after \d+\.\d s; one compacting collection took \d+ ms");
            Assert.True(seeded.Success, line);
            Assert.True(int.Parse(seeded.Groups[1].Value, CultureInfo.InvariantCulture) >= 8, line);

            Process.Start("kill", $"-TERM {process.Id}").WaitForExit();
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            Directory.Delete(directory, recursive: true);
        }
    }
}
