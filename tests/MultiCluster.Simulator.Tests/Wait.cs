namespace MultiCluster.Simulator.Tests;

/// <summary>Polls until a condition holds or a deadline passes; the failure names what was awaited.</summary>
public static class Wait
{
    public static async Task ForAsync(Func<Task<bool>> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Timed out after {seconds}s waiting for: {what}" + (last is null ? "" : $" (last error: {last.Message})"));
    }

    public static Task ForAsync(Func<bool> condition, string what, double seconds = 10) =>
        ForAsync(() => Task.FromResult(condition()), what, seconds);
}
