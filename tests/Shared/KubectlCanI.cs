using System.Diagnostics;
using MultiCluster.Core.Access;

namespace MultiCluster.Tests;

/// <summary>
/// <c>kubectl auth can-i … --as … --as-group …</c> against a simulated cluster: the answer of a client nobody here wrote,
/// to check the dashboard's own answers against (linked into each test project that compares with it).
/// </summary>
public static class KubectlCanI
{
    public static async Task<bool> AskAsync(string kubeconfig, string context, AccessQuestion question, string user, IEnumerable<string> groups)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments =
        [
            "--kubeconfig", kubeconfig, "--context", context, "auth", "can-i", question.Verb,
            (question.ApiGroup.Length > 0 ? $"{question.Resource}.{question.ApiGroup}" : question.Resource) + (question.Name is null ? "" : "/" + question.Name),
            .. question.Subresource is { } sub ? new[] { "--subresource", sub } : [],
            .. question.Namespace is { } ns ? new[] { "-n", ns } : [],
            "--as", user, .. groups.SelectMany(g => new[] { "--as-group", g }),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = (await process.StandardOutput.ReadToEndAsync()).Trim();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(output is "yes" or "no", $"kubectl auth can-i answered '{output}' {error}");
        return output == "yes";
    }
}
