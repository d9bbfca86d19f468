using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Triage;

namespace MultiCluster.Benchmarks;

/// <summary>
/// The triage rules at the large fleet's size (150 clusters, 450,000 pods, 5,000 changes/s) in this process:
/// the real store and <see cref="ProblemFeed"/> fed with pod summaries as the informers would feed them, so the rules'
/// cost is measured apart from the informers' and the simulator's (the fleet benchmark's large scenario has both). Measures how long a change takes to reach a subscriber
/// as a problem row, next to how long a plain pod change takes to reach one, and what the rules cost.
/// </summary>
public static class TriageBenchmark
{
    private const double TargetP99Ms = 500; // the large scenario's latency target

    public static async Task<int> RunAsync(int clusters, int podsPerCluster, int changesPerSecond, int seconds, string outDirectory)
    {
        var time = TimeProvider.System;
        using var store = new FleetStateStore(time);
        var feed = new ProblemFeed(store, new TriageOptions(), time, NullLogger<ProblemFeed>.Instance);
        await feed.StartAsync(CancellationToken.None);
        Report.Memory("before the fleet");

        var fill = Stopwatch.StartNew();
        for (var c = 0; c < clusters; c++)
        {
            var cluster = $"cluster-{c:000}";
            var changes = new List<FleetChange> { FleetChange.Upsert(new ClusterSummary { Cluster = cluster, Health = ClusterHealth.Synced }) };
            changes.AddRange(Enumerable.Range(0, 100).Select(n => FleetChange.Upsert(new NodeSummary { Cluster = cluster, Name = $"node-{n}", Ready = true })));
            // One pod in a hundred is crash-looping from the start.
            changes.AddRange(Enumerable.Range(0, podsPerCluster).Select(p => FleetChange.Upsert(Pod(cluster, p, crashing: p % 100 == 0))));
            store.Apply(changes);
        }
        await WaitForQuietAsync(feed);
        var rowsAtStart = store.Count(FleetKind.Problem);
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"{clusters * podsPerCluster:N0} pods in {clusters} clusters judged in {fill.Elapsed.TotalSeconds:0.0} s: {rowsAtStart:N0} problem rows"));
        Report.Memory("after the fleet");

        // Two followers, as pages and hub clients are: one of pods, one of problem rows.
        var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var podLatency = new ConcurrentBag<double>();
        var rowLatency = new ConcurrentBag<double>();
        using var stop = new CancellationTokenSource();
        var pods = Follow(store, FleetKind.Pod, c => c.Object is PodSummary { Name: var n } && n.StartsWith("marker-", StringComparison.Ordinal) ? n : null, sent, podLatency, stop.Token);
        var rows = Follow(store, FleetKind.Problem, c => c.Object is ProblemGroup { Owner: { } owner } && owner.StartsWith("Deployment/marker-", StringComparison.Ordinal) ? owner["Deployment/".Length..] : null, sent, rowLatency, stop.Token);

        var random = new Random(7);
        var clock = Stopwatch.StartNew();
        var applied = 0;
        var markers = 0;
        var batches = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            // 100 batches a second of churn: restarts, crash loops starting and healing, new pods.
            var due = (int)(clock.Elapsed.TotalSeconds * changesPerSecond) - applied;
            if (due > 0)
            {
                var batch = new List<FleetChange>(due);
                for (var i = 0; i < due; i++)
                {
                    var cluster = $"cluster-{random.Next(clusters):000}";
                    var p = random.Next(podsPerCluster);
                    batch.Add(FleetChange.Upsert(Pod(cluster, p, crashing: random.Next(10) == 0)));
                }
                // Every 20th batch, a new pod of a new workload starts crash-looping: timed to its row.
                if (batches++ % 20 == 0)
                {
                    var name = $"marker-{markers++}";
                    sent[name] = Stopwatch.GetTimestamp();
                    batch.Add(FleetChange.Upsert(new PodSummary
                    {
                        Cluster = "cluster-000", Namespace = "bench", Name = name, Phase = "Running", Status = "CrashLoopBackOff", Restarts = 3,
                        OwnerKind = "ReplicaSet", OwnerName = name + "-abc", Labels = [new("pod-template-hash", "abc")], CreatedAt = DateTimeOffset.UtcNow,
                    }));
                }
                store.Apply(batch);
                applied += due;
            }
            await Task.Delay(10);
        }
        var churned = clock.Elapsed;
        await Task.Delay(2_000);
        await stop.CancelAsync();
        await Task.WhenAll(pods, rows);
        await feed.StopAsync(CancellationToken.None);

        var pod = Percentiles.Of(podLatency);
        var row = Percentiles.Of(rowLatency);
        var timings = feed.Timings;
        Report.Line("");
        Report.Line("| figure | measured | target |");
        Report.Line("| --- | --- | --- |");
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"| fleet | {clusters} clusters, {clusters * podsPerCluster:N0} pods, {applied / churned.TotalSeconds:N0} changes/s for {churned.TotalSeconds:0} s | 5,000 changes/s |"));
        Report.Line($"| pod change → pod subscriber | {pod} | |");
        Report.Line($"| crash loop → problem row at a subscriber | {row} | p99 {TargetP99Ms:0} ms |");
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"| judging one change batch | worst {timings.WorstBatch.TotalMilliseconds:0.0} ms over {timings.Batches:N0} batches | |"));
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"| judging every pod again (sweep) | last {timings.LastSweep.TotalMilliseconds:0} ms, worst {timings.WorstSweep.TotalMilliseconds:0} ms over {timings.Sweeps} sweeps | |"));
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"| problem rows at the end | {store.Count(FleetKind.Problem):N0} | |"));

        Directory.CreateDirectory(outDirectory);
        var path = Path.Combine(outDirectory, "triage.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
        {
            clusters, pods = clusters * podsPerCluster, changesPerSecond = applied / churned.TotalSeconds, seconds = churned.TotalSeconds,
            podLatency = pod, rowLatency = row, worstBatchMs = timings.WorstBatch.TotalMilliseconds, batches = timings.Batches,
            lastSweepMs = timings.LastSweep.TotalMilliseconds, worstSweepMs = timings.WorstSweep.TotalMilliseconds, sweeps = timings.Sweeps,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Report.Line($"written to {path}");
        return row.P99 <= TargetP99Ms ? 0 : 1;
    }

    private static PodSummary Pod(string cluster, int index, bool crashing)
    {
        var workload = $"app-{index / 10}";
        return new PodSummary
        {
            Cluster = cluster, Namespace = $"team-{index % 30}", Name = $"{workload}-5d8f-{index % 10}", Phase = "Running",
            Status = crashing ? "CrashLoopBackOff" : "Running", Restarts = crashing ? 6 : index % 20 == 1 ? 5 : 0, NodeName = $"node-{index % 100}",
            // One pod in twenty restarted five times, long ago: the sweep judges it again every time.
            LastRestartAt = crashing || index % 20 == 1 ? DateTimeOffset.UtcNow.AddHours(-3) : null,
            OwnerKind = "ReplicaSet", OwnerName = workload + "-5d8f", Labels = [new("pod-template-hash", "5d8f"), new("app", workload)],
            CreatedAt = DateTimeOffset.UtcNow.AddDays(-1),
        };
    }

    private static Task Follow(FleetStateStore store, FleetKind kind, Func<FleetChange, string?> marker, ConcurrentDictionary<string, long> sent,
        ConcurrentBag<double> latencies, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        using var subscription = store.Subscribe(FleetFilter.For(kind));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var batch in subscription.ReadBatchesAsync(cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var change in batch.Changes)
                {
                    if (marker(change) is { } name && sent.TryGetValue(name, out var at) && seen.Add(name))
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }, cancellationToken);

    private static async Task WaitForQuietAsync(ProblemFeed feed)
    {
        var batches = -1;
        while (feed.Timings.Batches != batches)
        {
            batches = feed.Timings.Batches;
            await Task.Delay(1_000);
        }
    }
}
