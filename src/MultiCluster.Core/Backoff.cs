namespace MultiCluster.Core;

/// <summary>Exponential backoff with "equal jitter": each delay is half fixed, half random, capped.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _failures;

    public int Failures => _failures;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures++, 20);
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling / 2 + _random.NextDouble() * ceiling / 2);
    }

    public void Reset() => _failures = 0;
}
