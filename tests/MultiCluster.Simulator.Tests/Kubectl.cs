using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace MultiCluster.Simulator.Tests;

/// <summary>Runs the machine's real kubectl against a kubeconfig; fails loudly when kubectl is missing.</summary>
public sealed partial class Kubectl(string kubeconfig, string cacheDirectory)
{
    public const string Path = "/usr/bin/kubectl";

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(string arguments, string? input = null, double timeoutSeconds = 30)
    {
        using var process = Start(arguments);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {arguments} did not finish in {timeoutSeconds}s");
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Runs kubectl and returns its output, failing the test with kubectl's stderr when it exits non-zero.</summary>
    public async Task<string> OkAsync(string arguments, string? input = null)
    {
        var (code, output, error) = await RunAsync(arguments, input);
        Assert.True(code == 0, $"kubectl {arguments} exited {code}: {error}");
        return output;
    }

    public Process Start(string arguments)
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"kubectl is required at {Path} for the simulator conformance tests.");
        }
        var info = new ProcessStartInfo(Path, $"--kubeconfig {kubeconfig} --cache-dir {cacheDirectory} {arguments}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        return Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
    }

    /// <summary>The columns of a kubectl table line, split as kubectl aligns them (two or more spaces).</summary>
    public static string[] Columns(string line) => ColumnGap().Split(line.Trim());

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex ColumnGap();
}
