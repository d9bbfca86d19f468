using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Tests;

public sealed class FullCollectionReasonsTests
{
    [Fact]
    public async Task A_full_collection_is_told_with_what_asked_for_it_and_whether_it_blocked()
    {
        using var reasons = new FullCollectionReasons();
        var seen = new List<string>();

        // The runtime starts sending its events a moment after the listener subscribes, and hands them over on a thread
        // of its own: collect until one is seen.
        await Wait.ForAsync(() =>
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            seen.AddRange(reasons.Take());
            return seen.Exists(r => r.EndsWith(" blocking: induced", StringComparison.Ordinal));
        }, "an induced blocking full collection among the reasons");

        Assert.All(seen, r => Assert.Matches(@"^#\d+ [a-z ,]+: .+$", r));
    }
}
