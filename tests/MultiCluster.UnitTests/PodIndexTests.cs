using MultiCluster.Core;
using MultiCluster.Core.Fleet;

namespace MultiCluster.UnitTests;

/// <summary>
/// The Pods page's index against the plain answer (filter every pod, sort, page) over a fleet that keeps changing:
/// whatever the filters, the column and the page, the index answers the same rows and the same count.
/// </summary>
public sealed class PodIndexTests
{
    private static readonly string[] Clusters = ["prod", "dev", "edge"];
    private static readonly string[] Namespaces = ["default", "web", "batch"];
    private static readonly string[] Searches = ["EB-1", "web", " b-1 ", "-4", "ÉB", "é", "api-59", "nothing"];
    private static readonly (string Phase, string Status)[] States =
        [("Running", "Running"), ("Running", "CrashLoopBackOff"), ("Pending", "Pending"), ("Pending", "ImagePullBackOff"), ("Succeeded", "Completed"), ("Failed", "Error")];

    [Fact]
    public async Task Every_query_answers_what_filtering_and_sorting_every_pod_answers_while_the_fleet_changes()
    {
        var random = new Random(7);
        var index = new PodIndex();
        var fleet = new Dictionary<(string, string), PodSummary>();
        for (var step = 0; step < 40; step++)
        {
            var changes = new List<(PodSummary?, PodSummary?)>();
            for (var i = 0; i < 200; i++)
            {
                var pod = RandomPod(random);
                var key = (pod.Cluster, pod.Key);
                var old = fleet.GetValueOrDefault(key);
                if (old is not null && random.Next(4) == 0)
                {
                    fleet.Remove(key);
                    changes.Add((old, null));
                }
                else
                {
                    fleet[key] = pod;
                    changes.Add((old, pod));
                }
            }
            index.Update(changes);
            Assert.Equal(fleet.Count, index.Count);
            for (var q = 0; q < 25; q++)
            {
                var query = RandomQuery(random);
                Func<string, bool>? visible = random.Next(3) == 0 ? c => c != "edge" : null;
                var expected = Plain(query, fleet.Values, visible);
                var actual = index.Query(query, visible);
                Assert.True(expected.Total == actual.Total, $"{query}: {actual.Total} pods, expected {expected.Total}");
                Assert.Equal(expected.Items.Select(p => (p.Cluster, p.Key)), actual.Items.Select(p => (p.Cluster, p.Key)));
                Assert.All(actual.Items, p => Assert.Same(fleet[(p.Cluster, p.Key)], p));
            }
            Assert.Equal(fleet.Values.Select(p => p.Status).Distinct().Order(StringComparer.Ordinal), index.Statuses());
            // Half the steps go on while the orders the queries asked for are still being built, half after.
            if (step % 2 == 0)
            {
                await index.WhenOrdersBuiltAsync();
            }
        }
    }

    [Fact]
    public void A_name_search_finds_every_name_holding_it_after_most_pods_went_and_others_came()
    {
        var index = new PodIndex();
        PodSummary Pod(int i) => new() { Cluster = i % 2 == 0 ? "prod" : "dev", Namespace = "web", Name = $"web-{i}" };
        var pods = Enumerable.Range(0, 3_000).Select(Pod).ToList();
        index.Update([.. pods.Select(p => ((PodSummary?)null, (PodSummary?)p))]);
        // Nine in ten go (the names' buffers are compacted on the way), a thousand new ones come, the rest change status.
        index.Update([.. pods.Where((_, i) => i % 10 != 0).Select(p => ((PodSummary?)p, (PodSummary?)null))]);
        index.Update([.. Enumerable.Range(3_000, 1_000).Select(i => ((PodSummary?)null, (PodSummary?)Pod(i)))]);
        var kept = pods.Where((_, i) => i % 10 == 0).ToList();
        var changed = kept.Select(p => p with { Status = "CrashLoopBackOff" }).ToList();
        index.Update([.. kept.Zip(changed, (old, current) => ((PodSummary?)old, (PodSummary?)current))]);
        var fleet = changed.Concat(Enumerable.Range(3_000, 1_000).Select(Pod)).ToList();

        foreach (var search in new[] { "web-1", "WEB-29", "-30", "0", "web-2999", "web-3999", "b-" })
        {
            var query = new PodQuery { Search = search, PageSize = 5_000 };
            var expected = fleet.Where(p => p.Name.Contains(search, StringComparison.OrdinalIgnoreCase)).Order(PodIndex.Comparer(PodSort.Name)).Select(p => p.Name);
            var page = index.Query(query);
            Assert.Equal(expected, page.Items.Select(p => p.Name));
            Assert.All(page.Items.Where(p => int.Parse(p.Name[4..], System.Globalization.CultureInfo.InvariantCulture) < 3_000), p => Assert.Equal("CrashLoopBackOff", p.Status));
        }
        Assert.Equal(1_300, index.Count);
    }

    [Fact]
    public async Task A_name_search_while_the_writer_adds_pods_finds_every_pod_that_holds_it()
    {
        var index = new PodIndex();
        PodSummary Pod(int i) => new() { Cluster = $"c{i % 20}", Namespace = "web", Name = i < 2_000 ? $"web-{i}" : $"new-{i}" };
        index.Update([.. Enumerable.Range(0, 2_000).Select(i => ((PodSummary?)null, (PodSummary?)Pod(i)))]);
        var expected = Enumerable.Range(0, 2_000).Select(i => $"web-{i}").Where(n => n.Contains("web-1", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        using var stop = new CancellationTokenSource();
        // The search goes a cluster at a time, letting the writer in between: the clusters grow meanwhile.
        var writer = Task.Run(() =>
        {
            for (var i = 2_000; !stop.IsCancellationRequested; i++)
            {
                index.Update([((PodSummary?)null, (PodSummary?)Pod(i))]);
            }
        });
        try
        {
            for (var run = 0; run < 200; run++)
            {
                var page = index.Query(new PodQuery { Search = "web-1", SortBy = PodSort.Name, PageSize = 2_000 });
                Assert.Equal(expected, page.Items.Select(p => p.Name).Order(StringComparer.Ordinal));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }
    }

    [Fact]
    public async Task Ages_read_youngest_first_and_an_order_no_query_used_for_ten_minutes_is_dropped()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var index = new PodIndex(time);
        index.Update(
        [
            (null, new PodSummary { Cluster = "prod", Namespace = "web", Name = "old", CreatedAt = time.GetUtcNow().AddDays(-3) }),
            (null, new PodSummary { Cluster = "prod", Namespace = "web", Name = "new", CreatedAt = time.GetUtcNow().AddMinutes(-1) }),
        ]);

        Assert.Equal(["new", "old"], index.Query(new PodQuery { SortBy = PodSort.Age }).Items.Select(p => p.Name));
        Assert.Equal(["old", "new"], index.Query(new PodQuery { SortBy = PodSort.Age, Descending = true }).Items.Select(p => p.Name));
        await index.WhenOrdersBuiltAsync();
        Assert.Contains(PodSort.Age, index.Orders);
        Assert.Equal(["old", "new"], index.Query(new PodQuery { SortBy = PodSort.Age, Descending = true }).Items.Select(p => p.Name));

        time.Now += PodIndex.UnusedOrderLifetime - TimeSpan.FromMinutes(1);
        index.Trim();
        Assert.Contains(PodSort.Age, index.Orders);
        time.Now += TimeSpan.FromMinutes(2);
        index.Trim();
        Assert.Equal([PodSort.Name], index.Orders);
        Assert.Equal(["new", "old"], index.Query(new PodQuery { SortBy = PodSort.Age }).Items.Select(p => p.Name));
    }

    [Fact]
    public void A_delete_concerns_a_query_unless_its_cluster_namespace_or_name_rules_it_out()
    {
        var query = new PodQuery { Cluster = "prod", Search = "web" };

        Assert.True(query.MayConcern("prod", "default", "web-1"));
        Assert.False(query.MayConcern("dev", "default", "web-1"));
        Assert.False(query.MayConcern("prod", "default", "churn-x"));
    }

    private static PodPage Plain(PodQuery query, IEnumerable<PodSummary> pods, Func<string, bool>? visible)
    {
        var matches = query.Matcher(LabelSelector.Parse(query.LabelSelector).Selector, visible);
        var found = pods.Where(matches).Order(PodIndex.Comparer(query.SortBy)).ToList();
        if (query.Descending)
        {
            found.Reverse();
        }
        return new PodPage([.. found.Skip(query.Page * query.PageSize).Take(query.PageSize)], found.Count, null);
    }

    private static PodSummary RandomPod(Random random)
    {
        var (phase, status) = States[random.Next(States.Length)];
        return new PodSummary
        {
            Cluster = Clusters[random.Next(Clusters.Length)],
            Namespace = Namespaces[random.Next(Namespaces.Length)],
            // Now and then a name no Kubernetes server accepts: capitals, letters beyond ASCII.
            Name = $"{(random.Next(12) switch { 0 => "Web", 1 => "wéb", _ => random.Next(2) == 0 ? "web" : "api" })}-{random.Next(60)}",
            Phase = phase,
            Status = status,
            NodeName = random.Next(5) == 0 ? null : $"node-{random.Next(4)}",
            Restarts = random.Next(4),
            CreatedAt = DateTimeOffset.UnixEpoch.AddMinutes(random.Next(100)),
            Labels = [new("app", random.Next(2) == 0 ? "web" : "api")],
        };
    }

    private static PodQuery RandomQuery(Random random)
    {
        T? Maybe<T>(T value) where T : class => random.Next(3) == 0 ? value : null;
        return new PodQuery
        {
            Cluster = Maybe(Clusters[random.Next(Clusters.Length)]),
            Namespace = Maybe(Namespaces[random.Next(Namespaces.Length)]),
            Phase = random.Next(5) == 0 ? States[random.Next(States.Length)].Phase : null,
            Status = random.Next(5) == 0 ? States[random.Next(States.Length)].Status : null,
            Node = random.Next(6) == 0 ? $"node-{random.Next(4)}" : null,
            Search = random.Next(4) == 0 ? Searches[random.Next(Searches.Length)] : null,
            LabelSelector = random.Next(6) == 0 ? "app=web" : null,
            SortBy = (PodSort)random.Next(Enum.GetValues<PodSort>().Length),
            Descending = random.Next(2) == 0,
            Page = random.Next(3),
            PageSize = 10,
        };
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
