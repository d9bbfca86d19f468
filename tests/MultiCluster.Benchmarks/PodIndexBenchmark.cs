using System.Diagnostics;
using System.Globalization;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Benchmarks;

/// <summary>
/// The Pods page's server time at the large fleet's size, in this process: the real store (with its pod index)
/// filled with 450,000 pod summaries as informers fill it, a writer applying 5,000 changes a second in batches as
/// informers do, and the queries a Pods tab makes (first page, deep page, each sort column, each filter), timed
/// while the writer runs. Also what the index costs the writer: the time of each batch's Apply.
/// </summary>
public static class PodIndexBenchmark
{
    private const double TargetMs = 100;

    public static async Task<int> RunAsync(int clusters, int podsPerCluster, int changesPerSecond, int runs)
    {
        using var store = new FleetStateStore(TimeProvider.System);
        Report.Memory("before the fleet");
        var fill = Stopwatch.StartNew();
        for (var c = 0; c < clusters; c++)
        {
            var cluster = $"cluster-{c:000}";
            var changes = new List<FleetChange> { FleetChange.Upsert(new ClusterSummary { Cluster = cluster, Health = ClusterHealth.Synced }) };
            changes.AddRange(Enumerable.Range(0, 100).Select(n => FleetChange.Upsert(new NodeSummary { Cluster = cluster, Name = $"node-{n}", Ready = true, CpuAllocatableMillis = 8000 })));
            for (var p = 0; p < podsPerCluster; p += 500)
            {
                // Pages of 500, as an informer's list applies them.
                store.Apply([.. changes, .. Enumerable.Range(p, Math.Min(500, podsPerCluster - p)).Select(i => FleetChange.Upsert(Pod(cluster, i, 0)))]);
                changes.Clear();
            }
        }
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"{store.Pods.Count:N0} pods in {clusters} clusters stored and indexed in {fill.Elapsed.TotalSeconds:0.0} s"));
        Report.Memory("after the fleet");

        using var stop = new CancellationTokenSource();
        var applyMs = new List<double>();
        var writer = Task.Run(() => Write(store, clusters, podsPerCluster, changesPerSecond, applyMs, stop.Token));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var visibleToTeam = new HashSet<string>(Enumerable.Range(0, 20).Select(c => $"cluster-{c * 7 % clusters:000}"), StringComparer.Ordinal);
        (string What, PodQuery Query, Func<string, bool>? Visible)[] queries =
        [
            ("first page, by name", new PodQuery(), null),
            ("page 200, by name", new PodQuery { Page = 200 }, null),
            ("by restarts, most first", new PodQuery { SortBy = PodSort.Restarts, Descending = true }, null),
            ("by age", new PodQuery { SortBy = PodSort.Age }, null),
            ("by cluster", new PodQuery { SortBy = PodSort.Cluster }, null),
            ("by node", new PodQuery { SortBy = PodSort.Node }, null),
            ("status CrashLoopBackOff", new PodQuery { Status = "CrashLoopBackOff" }, null),
            ("phase Running, by status", new PodQuery { Phase = "Running", SortBy = PodSort.Status }, null),
            ("one cluster", new PodQuery { Cluster = "cluster-042" }, null),
            ("one namespace fleet-wide", new PodQuery { Namespace = "team-3" }, null),
            ("name search 'web-12'", new PodQuery { Search = "web-12" }, null),
            ("name search 'api' (half the fleet)", new PodQuery { Search = "api" }, null),
            ("label selector app=api", new PodQuery { LabelSelector = "app=api" }, null),
            ("a team's 20 clusters", new PodQuery(), visibleToTeam.Contains),
        ];
        var failed = false;
        var (pauseBefore, gen2Before, gen0Before) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2), GC.CollectionCount(0));
        Report.Line($"queries while {changesPerSecond:N0} changes/s are applied ({runs} runs each; the first run of a sort column builds its order):");
        foreach (var (what, query, visible) in queries)
        {
            var first = Time(() => store.Pods.Query(query, visible));
            var times = Enumerable.Range(0, runs).Select(_ => Time(() => store.Pods.Query(query, visible))).ToList();
            var page = store.Pods.Query(query, visible);
            var figures = Percentiles.Of(times);
            failed |= figures.P99 > TargetMs;
            Report.Line(string.Create(CultureInfo.InvariantCulture,
                $"  {what,-28} first {first,7:0.0} ms, then p50 {figures.P50,6:0.00} ms, p99 {figures.P99,6:0.00} ms, max {figures.Max,6:0.00} ms  ({page.Total:N0} match)"));
        }
        await stop.CancelAsync();
        var written = await writer;
        var pauses = GC.GetGCMemoryInfo(GCKind.Any).PauseDurations.ToArray();
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"garbage collection meanwhile: {GC.CollectionCount(0) - gen0Before} collections ({GC.CollectionCount(2) - gen2Before} full), {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:0} ms paused in all, last pause {(pauses.Length == 0 ? 0 : pauses.Max().TotalMilliseconds):0.0} ms"));
        var apply = Percentiles.Of(applyMs);
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"writer: {written:N0} changes applied at {changesPerSecond:N0}/s in batches of 50; Apply of a batch (store + index + tallies) p50 {apply.P50:0.00} ms, p99 {apply.P99:0.00} ms, max {apply.Max:0.00} ms"));
        Report.Memory("at the end");
        Report.Line(failed ? $"a query's p99 was over {TargetMs} ms" : $"every query's p99 under {TargetMs} ms");
        return failed ? 1 : 0;
    }

    private static double Time(Func<PodPage> query)
    {
        var clock = Stopwatch.StartNew();
        query();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Status changes, restarts, and pods deleted and created, in batches of 50 every 10 ms at the asked rate.</summary>
    private static int Write(FleetStateStore store, int clusters, int podsPerCluster, int perSecond, List<double> applyMs, CancellationToken stop)
    {
        var random = new Random(11);
        var written = 0;
        var clock = Stopwatch.StartNew();
        var generation = 1;
        while (!stop.IsCancellationRequested)
        {
            var due = (int)(clock.Elapsed.TotalSeconds * perSecond);
            if (written >= due)
            {
                Thread.Sleep(10);
                continue;
            }
            var batch = new List<FleetChange>(50);
            for (var i = 0; i < 50; i++)
            {
                var cluster = $"cluster-{random.Next(clusters):000}";
                var n = random.Next(podsPerCluster);
                batch.Add(random.Next(10) == 0
                    ? FleetChange.Delete(FleetKind.Pod, cluster, FleetKeys.Of($"team-{n % 10}", $"{(n % 2 == 0 ? "web" : "api")}-{n}"))
                    : FleetChange.Upsert(Pod(cluster, n, generation++)));
            }
            var apply = Stopwatch.StartNew();
            store.Apply(batch);
            applyMs.Add(apply.Elapsed.TotalMilliseconds);
            written += batch.Count;
        }
        return written;
    }

    private static PodSummary Pod(string cluster, int n, int generation)
    {
        var crashing = (n + generation) % 97 == 0;
        return new PodSummary
        {
            Cluster = cluster,
            Namespace = $"team-{n % 10}",
            Name = $"{(n % 2 == 0 ? "web" : "api")}-{n}",
            Phase = "Running",
            Status = crashing ? "CrashLoopBackOff" : "Running",
            NodeName = $"node-{n % 100}",
            ReadyContainers = crashing ? 0 : 1,
            Containers = 1,
            Restarts = crashing ? generation % 50 : n % 3,
            CreatedAt = DateTimeOffset.UnixEpoch.AddDays(20_000).AddSeconds(-n),
            CpuRequestMillis = 100,
            MemoryRequestBytes = 128L << 20,
            Labels = [new("app", n % 2 == 0 ? "web" : "api"), new("pod-template-hash", "abc123")],
        };
    }
}
