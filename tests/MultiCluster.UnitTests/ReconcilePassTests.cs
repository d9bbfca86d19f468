using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.UnitTests;

/// <summary>The engine's judgement of one cluster: what each object's status is and what is done about it.</summary>
public sealed class ReconcilePassTests
{
    private static readonly QuotaPolicy Policy = new()
    {
        Name = "team-defaults",
        Hard = new Dictionary<string, string> { ["pods"] = "100" },
        Limits = [new LimitRangeItem { Type = LimitRangeItem.Container, Default = new Dictionary<string, string> { ["cpu"] = "1" } }],
        Generation = 2,
    };

    private static readonly IReadOnlyList<ManagedObject> Desired = [.. QuotaPlanner.ObjectsOf(Policy, "eu", "team-a")];

    private static readonly Dictionary<string, PolicyMode> Enforce = new() { ["team-defaults"] = PolicyMode.Enforce };

    [Fact]
    public void Absent_objects_are_Pending_and_written_and_one_seen_before_is_Missing()
    {
        var judged = ReconcilePass.Judge(QuotaPolicy.OwnerKind, Desired, Enforce, [], reachable: true, new Memory(seen: [Desired[1].Key]));

        Assert.Equal([(TargetStatus.Pending, ReconcileAction.Apply), (TargetStatus.Missing, ReconcileAction.Apply)], judged.Select(j => (j.State.Status, j.Action)));
        var target = Assert.Single(ReconcilePass.Targets(QuotaPolicy.OwnerKind, "eu", judged, Enforce));
        Assert.Equal((TargetStatus.Missing, "team-a", "policy/team-defaults/team-a"), (target.Status, target.Namespace, target.Key));
    }

    [Fact]
    public void An_edited_object_is_Drifted_and_repaired_in_Enforce_but_only_reported_in_Inform_until_a_repair_is_asked_for()
    {
        var edited = Desired[0] with { Fields = new Dictionary<string, string> { ["spec.hard.pods"] = "500" } };
        var inform = new Dictionary<string, PolicyMode> { ["team-defaults"] = PolicyMode.Inform };

        var enforced = ReconcilePass.Judge(QuotaPolicy.OwnerKind, [Desired[0]], Enforce, [edited], reachable: true, new Memory());
        var informed = ReconcilePass.Judge(QuotaPolicy.OwnerKind, [Desired[0]], inform, [edited], reachable: true, new Memory());
        var asked = ReconcilePass.Judge(QuotaPolicy.OwnerKind, [Desired[0]], inform, [edited], reachable: true, new Memory(repairs: [Desired[0].Key]));

        Assert.Equal((TargetStatus.Drifted, ReconcileAction.Apply), (enforced[0].State.Status, enforced[0].Action));
        Assert.Equal([new FieldDifference("spec.hard.pods", "100", "500")], enforced[0].State.Differences);
        Assert.Equal((TargetStatus.Drifted, ReconcileAction.None), (informed[0].State.Status, informed[0].Action));
        Assert.Contains("Repair", informed[0].State.Message, StringComparison.Ordinal);
        Assert.Equal(ReconcileAction.Apply, asked[0].Action);
    }

    [Fact]
    public void A_foreign_object_is_a_Conflict_left_alone_and_ours_that_nothing_wants_is_deleted()
    {
        var foreign = Desired[0] with { Labels = new Dictionary<string, string> { ["owner"] = "finance" } };
        var orphan = QuotaPlanner.ObjectsOf(Policy with { Name = "old-policy" }, "eu", "team-b").First();

        var judged = ReconcilePass.Judge(QuotaPolicy.OwnerKind, [Desired[0]], Enforce, [foreign, orphan], reachable: true, new Memory());

        Assert.Equal((TargetStatus.Conflict, ReconcileAction.None), (judged[0].State.Status, judged[0].Action));
        var delete = Assert.Single(judged, j => j.Action == ReconcileAction.Delete);
        Assert.Equal(("old-policy", orphan.Key), (delete.Owner, delete.Key));
        // The deleted object is no target of anyone's.
        Assert.Equal(["team-defaults"], ReconcilePass.Targets(QuotaPolicy.OwnerKind, "eu", judged, Enforce).Select(t => t.Owner));
    }

    [Fact]
    public void An_unreachable_cluster_waits_as_Pending_with_nothing_done_and_a_refused_write_shows_the_APIs_words()
    {
        var offline = ReconcilePass.Judge(QuotaPolicy.OwnerKind, Desired, Enforce, [], reachable: false, new Memory(errors: new() { [Desired[0].Key] = "forbidden" }));
        var refused = ReconcilePass.Judge(QuotaPolicy.OwnerKind, Desired, Enforce, [], reachable: true, new Memory(errors: new() { [Desired[0].Key] = "resourcequotas is forbidden" }));

        Assert.All(offline, j => Assert.Equal((TargetStatus.Pending, ReconcileAction.None), (j.State.Status, j.Action)));
        Assert.Equal((TargetStatus.Error, "resourcequotas is forbidden", ReconcileAction.Apply), (refused[0].State.Status, refused[0].State.Message, refused[0].Action));
        Assert.Equal(TargetStatus.Error, ReconcilePass.Targets(QuotaPolicy.OwnerKind, "eu", refused, Enforce).Single().Status);
    }

    [Fact]
    public void A_preview_counts_what_saving_would_do_and_names_namespaces_already_over_a_new_limit()
    {
        var clusters = new List<ClusterFacts> { new("eu", new Dictionary<string, string>()) };
        var namespaces = new List<NamespaceFacts> { new("eu", "team-a", new Dictionary<string, string>()), new("eu", "team-b", new Dictionary<string, string>()) };
        var stored = Policy with { NamespacePatterns = ["team-a"] };
        var written = QuotaPlanner.ObjectsOf(stored, "eu", "team-a").ToList();
        var usage = new QuotaSummary { Cluster = "eu", Namespace = "team-b", Name = "compute", Resources = [new QuotaResource("pods", "200", "150", 200, 150)] };

        var preview = QuotaPreview.Of(stored with { NamespacePatterns = ["team-*"], Hard = new Dictionary<string, string> { ["pods"] = "120" } }, [stored], clusters, namespaces, written, [usage]);

        Assert.Equal((2, 2, 2, 0), (preview.Targets.Count, preview.Count(PreviewChange.Create), preview.Count(PreviewChange.Update), preview.Count(PreviewChange.Delete)));
        Assert.Equal([new UsageOverLimit("eu", "team-b", "pods", "150", "120")], preview.OverLimit);
    }

    private sealed class Memory(string[]? seen = null, Dictionary<string, string>? errors = null, string[]? repairs = null) : IReconcileMemory
    {
        public bool Seen(string key) => seen?.Contains(key) == true;

        public string? LastError(string key) => errors?.GetValueOrDefault(key);

        public bool RepairRequested(string key) => repairs?.Contains(key) == true;
    }
}
