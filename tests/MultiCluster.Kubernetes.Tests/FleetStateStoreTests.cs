using k8s.Models;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Kubernetes.Tests;

public sealed class FleetStateStoreTests : IDisposable
{
    // Batches are flushed by the tests themselves, not by a timer.
    private readonly FleetStateStore _store = new(TimeProvider.System, new FleetStoreOptions { BatchInterval = Timeout.InfiniteTimeSpan, SubscriberBacklog = 3 });

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_subscriber_gets_the_snapshot_then_every_later_change_in_order_and_coalesced()
    {
        _store.Apply(FleetChange.Upsert(Pod("a", "Running")));
        using var subscription = _store.Subscribe(FleetFilter.For(FleetKind.Pod));
        Assert.True(subscription.Snapshot.IsSnapshot);
        Assert.Equal(["default/a"], subscription.Snapshot.Changes.Select(c => c.Key));

        _store.Apply(FleetChange.Upsert(Pod("b", "Pending")));
        _store.Apply(FleetChange.Upsert(Pod("b", "Running")));
        _store.Apply(FleetChange.Delete(FleetKind.Pod, "one", "default/a"));
        _store.Apply(FleetChange.Upsert(new NodeSummary { Cluster = "one", Name = "n1" }));
        _store.Flush();

        var batch = await NextAsync(subscription);
        Assert.False(batch.IsSnapshot);
        Assert.Collection(batch.Changes,
            b => Assert.Equal(("default/b", "Running"), (b.Key, ((PodSummary)b.Object!).Phase)),
            a => Assert.True(a.IsDelete));
    }

    [Fact]
    public async Task A_subscriber_that_stops_reading_gets_what_it_missed_coalesced_in_one_batch_and_nobody_waits_for_it()
    {
        using var slow = _store.Subscribe(FleetFilter.For(FleetKind.Pod));
        for (var round = 0; round < 20; round++)
        {
            // Writers never block, however far behind the subscriber is.
            for (var i = 0; i < 10; i++)
            {
                _store.Apply(FleetChange.Upsert(Pod($"p{i}", round % 2 == 0 ? "Pending" : "Running")));
            }
            _store.Flush();
        }

        // The first round waited unread; the other nineteen were coalesced into one batch, one change per pod.
        var first = await NextAsync(slow);
        Assert.Equal(10, first.Changes.Count);
        _store.Flush();
        var missed = await NextAsync(slow);
        Assert.False(missed.IsSnapshot);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"default/p{i}"), missed.Changes.Select(c => c.Key));
        Assert.All(missed.Changes, c => Assert.Equal("Running", ((PodSummary)c.Object!).Phase));
        Assert.Equal(0, slow.Resyncs);

        _store.Apply(FleetChange.Delete(FleetKind.Pod, "one", "default/p0"));
        _store.Flush();
        var next = await NextAsync(slow);
        Assert.Equal(("default/p0", true), (next.Changes.Single().Key, next.Changes.Single().IsDelete));
    }

    [Fact]
    public async Task A_subscriber_whose_missed_changes_outgrow_a_snapshot_is_resynced_from_one()
    {
        _store.Apply(FleetChange.Upsert(Pod("kept", "Running")));
        using var slow = _store.Subscribe(FleetFilter.For(FleetKind.Pod));
        ChurnWhileUnread();

        Assert.Equal(["default/first"], (await NextAsync(slow)).Changes.Select(c => c.Key));
        _store.Flush();
        var resync = await NextAsync(slow);
        Assert.True(resync.IsSnapshot);
        Assert.Equal(["default/first", "default/kept"], resync.Changes.Select(c => c.Key).Order());
        Assert.Equal(1, slow.Resyncs);

        _store.Apply(FleetChange.Delete(FleetKind.Pod, "one", "default/kept"));
        _store.Flush();
        var next = await NextAsync(slow);
        Assert.Equal(("default/kept", true), (next.Changes.Single().Key, next.Changes.Single().IsDelete));
    }

    [Fact]
    public void Removing_a_cluster_deletes_all_of_it_and_leaves_the_others()
    {
        _store.Apply([FleetChange.Upsert(Pod("a", "Running")), FleetChange.Upsert(Pod("a", "Running") with { Cluster = "two" })]);
        _store.RemoveCluster("one");
        Assert.Equal(0, _store.Count(FleetKind.Pod, "one"));
        Assert.Equal(1, _store.Count(FleetKind.Pod));
        Assert.DoesNotContain("one", _store.ClusterNames);
    }

    [Fact]
    public void A_pod_summary_costs_a_few_hundred_bytes()
    {
        var projections = new FleetProjections(new StringPool());
        const int count = 20_000;
        var pods = Enumerable.Range(0, count).Select(TypicalPod).ToList();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var summaries = pods.Select(p => projections.Pod("prod-eu-west", p)).ToArray();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perPod = (after - before) / (double)count;
        Assert.True(perPod < 600, $"A pod summary costs {perPod:0} bytes.");
        Assert.Equal("payments-api-7d9f8-" + 0, summaries[0].Name);
        GC.KeepAlive(pods);
    }

    private static V1Pod TypicalPod(int i) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "payments-api-7d9f8-" + i,
            NamespaceProperty = "payments",
            Uid = Guid.NewGuid().ToString(),
            ResourceVersion = (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            CreationTimestamp = DateTime.UtcNow,
            Labels = new Dictionary<string, string> { ["app"] = "payments-api", ["pod-template-hash"] = "7d9f8" },
            OwnerReferences = [new V1OwnerReference { Kind = "ReplicaSet", Name = "payments-api-7d9f8", Controller = true, ApiVersion = "apps/v1", Uid = "x" }],
        },
        Spec = new V1PodSpec
        {
            NodeName = "node-" + (i % 50),
            Containers = [new V1Container { Name = "api", Image = "payments:1.2", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m"), ["memory"] = new("256Mi") } } }],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            ContainerStatuses = [new V1ContainerStatus { Name = "api", Ready = true, RestartCount = 0, Image = "payments:1.2", ImageID = "", State = new V1ContainerState { Running = new V1ContainerStateRunning() } }],
        },
    };

    [Fact]
    public void The_overview_figures_and_the_pod_index_follow_every_change_as_a_full_count_would_say()
    {
        var random = new Random(3);
        string[] phases = ["Pending", "Running", "Succeeded", "Failed"];
        for (var step = 0; step < 2_000; step++)
        {
            var cluster = random.Next(2) == 0 ? "one" : "two";
            var change = random.Next(10) switch
            {
                0 => FleetChange.Upsert(new NodeSummary { Cluster = cluster, Name = $"n{random.Next(3)}", Ready = random.Next(2) == 0, CpuAllocatableMillis = 4000, MemoryAllocatableBytes = 8L << 30 }),
                1 => FleetChange.Delete(FleetKind.Node, cluster, $"n{random.Next(3)}"),
                2 or 3 => FleetChange.Delete(FleetKind.Pod, cluster, $"default/p{random.Next(40)}"),
                _ => FleetChange.Upsert(Pod($"p{random.Next(40)}", phases[random.Next(phases.Length)]) with
                {
                    Cluster = cluster, NodeName = random.Next(3) == 0 ? null : "n0", CpuRequestMillis = random.Next(500), MemoryRequestBytes = random.Next(1 << 20),
                }),
            };
            _store.Apply(change);
        }
        _store.RemoveCluster("two");

        foreach (var name in new[] { "one", "two" })
        {
            var summary = new ClusterSummary { Cluster = name };
            var expected = ClusterOverview.Of(summary, _store.All<NodeSummary>(FleetKind.Node, name), _store.All<PodSummary>(FleetKind.Pod, name), 0);
            var kept = _store.Overview(summary);
            Assert.Equal(expected with { PodsByPhase = null! }, kept with { PodsByPhase = null! });
            Assert.Equal(expected.PodsByPhase.OrderBy(p => p.Key), kept.PodsByPhase.OrderBy(p => p.Key));
        }
        Assert.Equal(_store.Count(FleetKind.Pod), _store.Pods.Count);
        Assert.Equal(_store.Count(FleetKind.Pod, "one"), _store.Pods.Query(new PodQuery { Cluster = "one" }).Total);
    }

    [Fact]
    public void A_page_s_subscription_takes_no_snapshot()
    {
        _store.Apply(FleetChange.Upsert(Pod("a", "Running")));

        using var page = _store.Subscribe(FleetFilter.For(FleetKind.Pod), snapshot: false);

        Assert.Empty(page.Snapshot.Changes);
    }

    [Fact]
    public async Task A_page_that_falls_behind_is_told_to_read_again_without_a_copy_of_the_fleet()
    {
        _store.Apply(FleetChange.Upsert(Pod("a", "Running")));
        using var page = _store.Subscribe(FleetFilter.For(FleetKind.Pod), snapshot: false);
        ChurnWhileUnread();

        await NextAsync(page);
        _store.Flush();
        var resync = await NextAsync(page);
        Assert.True(resync.IsSnapshot);
        Assert.Empty(resync.Changes);
    }

    /// <summary>
    /// A batch with pod "first" that the subscriber does not read, then ten pods that come and go meanwhile: each leaves
    /// a delete it has not been sent, more than a snapshot (two pods) and the backlog's slack (3) together.
    /// </summary>
    private void ChurnWhileUnread()
    {
        _store.Apply(FleetChange.Upsert(Pod("first", "Running")));
        _store.Flush();
        for (var i = 0; i < 10; i++)
        {
            _store.Apply(FleetChange.Upsert(Pod($"churn-{i}", "Running")));
            _store.Apply(FleetChange.Delete(FleetKind.Pod, "one", $"default/churn-{i}"));
            _store.Flush();
        }
    }

    private static PodSummary Pod(string name, string phase) => new() { Cluster = "one", Namespace = "default", Name = name, Phase = phase, Status = phase };

    private static async Task<FleetBatch> NextAsync(FleetSubscription subscription)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await foreach (var batch in subscription.ReadBatchesAsync(timeout.Token))
        {
            return batch;
        }
        throw new InvalidOperationException("The subscription ended.");
    }
}
