using System.Diagnostics;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>Waits for what a cluster or the store will get to, failing with what was awaited.</summary>
public static class Eventually
{
    public static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, $"Waited {timeout.TotalSeconds} s for {what}.");
            await Task.Delay(50);
        }
    }
}
