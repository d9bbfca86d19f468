using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The engine's memory of one cluster between passes: an object it just wrote is not written again from what the informers showed before the write landed.</summary>
public sealed class ClusterLaneTests
{
    private const string Key = "prod-eu/ResourceQuota/team-a/mc-team-defaults";

    [Fact]
    public void A_version_another_writer_made_while_the_repair_was_in_flight_does_not_start_a_second_repair()
    {
        using var lane = new ClusterLane("prod-eu", new ReconcileOptions(), TimeProvider.System);

        // Someone set pods=500 (version 40): the pass judges it drifted and the worker repairs it.
        Assert.Equal([Key], lane.Update([Drifted("40")]));
        // Meanwhile the quota controller writes the status (41, spec still 500), and a pass judges that drifted too.
        lane.Update([Drifted("41")]);
        // The repair lands as version 42.
        lane.Succeeded(Drifted("40"), written: "42");

        // Until the informers show 42, what they show is older than the repair: nothing to write again.
        Assert.Empty(lane.Update([Drifted("41")]));
        Assert.Null(lane.Actionable(Key));
        Assert.Empty(lane.Update([Drifted("40")]));

        // Once they show 42 or later, the object is judged on what they show.
        Assert.Empty(lane.Update([InSync("42")]));
        Assert.Equal([Key], lane.Update([Drifted("43")]));
    }

    [Fact]
    public void A_write_the_informers_never_show_is_written_again_after_the_grace()
    {
        var time = new ManualTime();
        using var lane = new ClusterLane("prod-eu", new ReconcileOptions(), time);
        lane.Update([Drifted("40")]);
        lane.Succeeded(Drifted("40"), written: "42");

        Assert.Empty(lane.Update([Drifted("41")]));
        time.Now += TimeSpan.FromSeconds(11);
        Assert.Equal([Key], lane.Update([Drifted("41")]));
    }

    [Fact]
    public void Versions_that_are_not_numbers_hold_back_only_the_version_the_write_was_judged_from()
    {
        using var lane = new ClusterLane("prod-eu", new ReconcileOptions(), TimeProvider.System);
        lane.Update([Drifted("a")]);
        lane.Succeeded(Drifted("a"), written: "c");

        Assert.Empty(lane.Update([Drifted("a")]));
        Assert.Equal([Key], lane.Update([Drifted("b")]));
    }

    private static ObjectJudgement Drifted(string version) =>
        new(Key, "team-defaults", Quota("100"), Quota("500") with { ResourceVersion = version }, TargetState.Of(TargetStatus.Drifted), ReconcileAction.Apply);

    private static ObjectJudgement InSync(string version) =>
        new(Key, "team-defaults", Quota("100"), Quota("100") with { ResourceVersion = version }, TargetState.Of(TargetStatus.InSync), ReconcileAction.None);

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static ManagedObject Quota(string pods) =>
        new("prod-eu", "ResourceQuota", "team-a", "mc-team-defaults", new Dictionary<string, string>(), new Dictionary<string, string>(),
            new Dictionary<string, string> { ["spec.hard.pods"] = pods });
}
