namespace MultiCluster.Tests;

/// <summary>
/// A clock that moves only when the test says so. Its timers are the system's, so what runs on a schedule still
/// runs; only "now" is the test's (linked into each test project that needs it).
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
