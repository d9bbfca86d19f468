using System.Diagnostics;

namespace MultiCluster.Web.Tests;

/// <summary>Waits for what a cluster, the store or the dashboard will get to, failing with what was awaited (and where things stood).</summary>
public static class Eventually
{
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, int seconds = 20, Func<Task<string>>? state = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"Waited {seconds} s for {what}.{(state is null ? "" : " " + await state())}");
            await Task.Delay(100);
        }
    }

    public static Task WaitForAsync(Func<bool> condition, string what, int seconds = 20, Func<string>? state = null) =>
        WaitForAsync(() => Task.FromResult(condition()), what, seconds, state is null ? null : () => Task.FromResult(state()));
}
