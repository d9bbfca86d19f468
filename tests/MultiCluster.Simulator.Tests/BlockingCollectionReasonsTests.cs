using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Tests;

/// <summary>The reason the simulator's pause lines and the dashboard's runtime figures give for a blocking full collection.</summary>
public sealed class BlockingCollectionReasonsTests
{
    [Fact]
    public async Task A_blocking_full_collection_is_named_by_why_it_began_once_the_runtimes_events_arrive()
    {
        using var reasons = new BlockingCollectionReasons();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var index = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;

        // The events reach the listener after the collection; asked at once, the reason may not be known yet.
        var reason = await reasons.OfAsync(index, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal("reason: induced, compacting", reason);
        Assert.Equal(reason, reasons.Of(index));
        Assert.Equal("reason not seen", reasons.Of(index + 1));
    }
}
