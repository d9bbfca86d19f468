using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Triage;

namespace MultiCluster.UnitTests;

/// <summary>The incremental judging behind the Triage page: rows, occurrences, acknowledgements.</summary>
public sealed class ProblemTrackerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    private readonly ProblemTracker _tracker = new(new TriageThresholds());
    private readonly List<EventSummary> _events = [];

    [Fact]
    public void The_crash_looping_replicas_of_one_Deployment_share_one_row_that_counts_them()
    {
        Apply(Now, Cluster("prod"), Crashing("prod", "web-5d8f-a"), Crashing("prod", "web-5d8f-b"), Crashing("prod", "web-5d8f-c"), Crashing("prod", "api-7c9-a", owner: "api-7c9"));

        Assert.Equal(["Deployment/api", "Deployment/web"], _tracker.Rows.Select(r => r.Owner).Order());
        var web = _tracker.Rows.Single(r => r.Owner == "Deployment/web");
        Assert.Equal((3, "web", Severity.Critical), (web.Count, web.Name, web.Severity));
        Assert.Equal(["web-5d8f-a", "web-5d8f-b", "web-5d8f-c"], web.Problems.Select(p => p.Name));
    }

    [Fact]
    public void A_row_remembers_when_it_was_first_seen_and_last_changed_and_goes_when_its_pods_are_fine()
    {
        Apply(Now, Cluster("prod"), Crashing("prod", "web-5d8f-a"));
        var changes = Apply(Now.AddMinutes(1), Crashing("prod", "web-5d8f-b"));
        var row = Assert.Single(_tracker.Rows);
        Assert.Equal((Now, Now.AddMinutes(1), 2), (row.FirstSeen, row.LastSeen, row.Count));
        Assert.Single(changes.Rows);

        // The same state again is not a change.
        Assert.Empty(Apply(Now.AddMinutes(2), Crashing("prod", "web-5d8f-b")).Rows);

        Apply(Now.AddMinutes(3), Healthy("prod", "web-5d8f-a"), Healthy("prod", "web-5d8f-b"));
        Assert.Empty(_tracker.Rows);
        Apply(Now.AddMinutes(4), Crashing("prod", "web-5d8f-a"));
        Assert.Equal(Now.AddMinutes(4), Assert.Single(_tracker.Rows).FirstSeen);
    }

    [Fact]
    public void An_unreachable_cluster_is_one_row_and_its_stale_pods_come_back_as_the_same_occurrence()
    {
        Apply(Now, Cluster("prod"), Crashing("prod", "web-5d8f-a"), Cluster("dev"), Crashing("dev", "web-5d8f-a"));
        var down = Apply(Now.AddMinutes(1), Cluster("prod") with { Health = ClusterHealth.Unreachable, Problem = "connection refused" });

        Assert.Equal([("dev", "Pod"), ("prod", "Cluster")], _tracker.Rows.Select(r => (r.Cluster, r.ObjectKind)).Order());
        Assert.Contains(down.Rows, c => c.IsDelete && c.Cluster == "prod");

        Apply(Now.AddMinutes(2), Cluster("prod"));
        var back = _tracker.Rows.Single(r => r.Cluster == "prod");
        Assert.Equal(("Pod", Now), (back.ObjectKind, back.FirstSeen));
    }

    [Fact]
    public void A_pod_is_judged_again_as_time_passes_and_a_burst_about_a_crash_loop_is_not_a_second_row()
    {
        var pending = new PodSummary { Cluster = "prod", Namespace = "web", Name = "queue-0", Phase = "Pending", Status = "Pending", CreatedAt = Now };
        Apply(Now, Cluster("prod"), pending);
        Assert.Empty(_tracker.Rows);
        _tracker.Sweep([pending], _ => [], Now.AddMinutes(6));
        Assert.Equal("pending", Assert.Single(_tracker.Rows).Rule);

        _events.AddRange(Enumerable.Range(0, 12).Select(i => new EventSummary
        {
            Cluster = "prod", Namespace = "web", Name = $"e{i}", Reason = "BackOff", InvolvedKind = "Pod", InvolvedNamespace = "web",
            InvolvedName = "web-5d8f-a", LastSeen = Now.AddMinutes(6),
        }));
        Apply(Now.AddMinutes(6), Crashing("prod", "web-5d8f-a"), _events[0]);
        Assert.DoesNotContain(_tracker.Rows, r => r.Rule == "warning-burst");
    }

    [Fact]
    public void An_acknowledgement_lasts_for_its_occurrence_and_a_snooze_until_its_time()
    {
        Apply(Now, Cluster("prod"), Crashing("prod", "web-5d8f-a"), Crashing("prod", "api-7c9-a", owner: "api-7c9"));
        var web = _tracker.Rows.Single(r => r.Owner == "Deployment/web");
        var api = _tracker.Rows.Single(r => r.Owner == "Deployment/api");
        _tracker.Acknowledge("prod", web.Key, new Acknowledgement("ana", Now, "rolling back", null), Now);
        _tracker.Acknowledge("prod", api.Key, new Acknowledgement("ana", Now, null, Now.AddMinutes(30)), Now);
        Assert.Equal("rolling back", _tracker.Find("prod", web.Key)!.Acknowledgement!.Note);

        var snoozeOver = _tracker.Sweep([], _ => [], Now.AddMinutes(31));
        Assert.True(Assert.Single(snoozeOver.Ended).SnoozeEnded);
        Assert.Null(_tracker.Find("prod", api.Key)!.Acknowledgement);

        var cleared = Apply(Now.AddMinutes(32), Healthy("prod", "web-5d8f-a"));
        Assert.Equal(("prod", web.Key, false), (cleared.Ended.Single().Cluster, cleared.Ended.Single().Key, cleared.Ended.Single().SnoozeEnded));
        Apply(Now.AddMinutes(40), Crashing("prod", "web-5d8f-a"));
        Assert.Null(_tracker.Find("prod", web.Key)!.Acknowledgement);
    }

    [Fact]
    public void An_acknowledgement_of_a_row_that_never_comes_back_ends_once_its_cluster_has_been_watched_a_while()
    {
        _tracker.Acknowledge("prod", "crash-loop|Deployment/gone|web", new Acknowledgement("ana", Now, null, null), Now);
        Apply(Now, Cluster("prod"));
        Assert.Empty(_tracker.Sweep([], _ => [], Now.AddSeconds(5)).Ended);
        Assert.Single(_tracker.Sweep([], _ => [], Now.AddSeconds(15)).Ended);
    }

    [Fact]
    public void A_snapshot_replaces_what_was_known()
    {
        Apply(Now, Cluster("prod"), Crashing("prod", "web-5d8f-a"));
        _tracker.Apply(new FleetBatch(true, [FleetChange.Upsert(Cluster("prod")), FleetChange.Upsert(Crashing("prod", "api-7c9-a", owner: "api-7c9"))]), Events, Now);
        Assert.Equal("Deployment/api", Assert.Single(_tracker.Rows).Owner);
    }

    private TriageChanges Apply(DateTimeOffset now, params IFleetObject[] objects) =>
        _tracker.Apply(new FleetBatch(false, [.. objects.Select(FleetChange.Upsert)]), Events, now);

    private IEnumerable<EventSummary> Events(string cluster) => _events.Where(e => e.Cluster == cluster);

    private static ClusterSummary Cluster(string name) => new() { Cluster = name, Health = ClusterHealth.Synced };

    private static PodSummary Crashing(string cluster, string name, string owner = "web-5d8f") => Healthy(cluster, name, owner) with { Status = "CrashLoopBackOff", Restarts = 4 };

    private static PodSummary Healthy(string cluster, string name, string owner = "web-5d8f") => new()
    {
        Cluster = cluster, Namespace = "web", Name = name, Phase = "Running", Status = "Running", CreatedAt = Now.AddDays(-1),
        OwnerKind = "ReplicaSet", OwnerName = owner, Labels = [new("pod-template-hash", owner[(owner.IndexOf('-') + 1)..])],
    };
}
