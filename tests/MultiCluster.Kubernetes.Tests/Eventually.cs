using System.Diagnostics;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>Waits for what a cluster or the store will get to, failing with what was awaited.</summary>
public static class Eventually
{
    public static Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what) => WaitForAsync(condition, timeout, () => what);

    /// <summary>As above, with what was awaited worked out when the wait fails, so it says where things stood then.</summary>
    public static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"Waited {timeout.TotalSeconds} s for {what()}.");
            await Task.Delay(50);
        }
    }
}
