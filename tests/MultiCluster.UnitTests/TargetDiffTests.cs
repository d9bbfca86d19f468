using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.UnitTests;

public sealed class TargetDiffTests
{
    private static readonly ManagedObject Desired = QuotaPlanner.ObjectsOf(new QuotaPolicy
    {
        Name = "team-defaults",
        Hard = new Dictionary<string, string> { ["requests.cpu"] = "1", ["pods"] = "100" },
        Generation = 2,
    }, "prod-eu", "team-a").Single();

    [Fact]
    public void The_same_object_as_the_api_server_stores_it_is_in_sync()
    {
        // The API server writes quantities canonically and may add fields of its own: neither is drift.
        var stored = Desired with { Fields = new Dictionary<string, string> { ["spec.hard.requests.cpu"] = "1000m", ["spec.hard.pods"] = "100", ["spec.hard.secrets"] = "10" } };
        Assert.Equal(TargetStatus.InSync, Judge(stored).Status);
    }

    [Fact]
    public void An_edited_limit_is_drift_with_the_field_that_differs()
    {
        var edited = Desired with { Fields = new Dictionary<string, string> { ["spec.hard.requests.cpu"] = "1", ["spec.hard.pods"] = "500" } };
        var state = Judge(edited);
        Assert.Equal(TargetStatus.Drifted, state.Status);
        Assert.Equal([new FieldDifference("spec.hard.pods", "100", "500")], state.Differences);
    }

    [Fact]
    public void Absent_unreachable_foreign_and_older_objects_each_have_their_status()
    {
        Assert.Equal(TargetStatus.Pending, TargetDiff.Judge(Desired, null, QuotaPolicy.OwnerKind, reachable: true, written: false).Status);
        Assert.Equal(TargetStatus.Missing, TargetDiff.Judge(Desired, null, QuotaPolicy.OwnerKind, reachable: true, written: true).Status);
        Assert.Equal(TargetStatus.Pending, TargetDiff.Judge(Desired, Desired, QuotaPolicy.OwnerKind, reachable: false, written: true).Status);

        var foreign = Desired with { Labels = new Dictionary<string, string> { ["owner"] = "someone" } };
        var conflict = Judge(foreign);
        Assert.Equal(TargetStatus.Conflict, conflict.Status);
        Assert.Contains("not written by this policy", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(TargetStatus.Conflict, Judge(Desired with { Labels = ManagedLabels.For(QuotaPolicy.OwnerKind, "other-policy") }).Status);

        var older = Desired with { Annotations = new Dictionary<string, string> { [ManagedLabels.GenerationAnnotation] = "1" } };
        Assert.Equal(TargetStatus.Pending, Judge(older).Status);
    }

    private static TargetState Judge(ManagedObject actual) => TargetDiff.Judge(Desired, actual, QuotaPolicy.OwnerKind, reachable: true, written: true);
}
