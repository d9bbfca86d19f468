using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using k8s;
using k8s.Models;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Benchmarks;

/// <summary>
/// One simulator process carrying the whole fleet (default 100,000 pods, one cluster of 30,000): how long
/// it takes to come up, what a full LIST of the big cluster costs, and how fast one change reaches 50
/// concurrent watchers. Every figure goes through the real protocol with the real KubernetesClient.
/// </summary>
public static class SimulatorBenchmark
{
    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        Report.Line($"# Simulator benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Report.Line($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}");
        Report.Line($"fleet: {options.Pods:N0} pods; cluster 'big' {options.BigClusterPods:N0} pods; {options.Watchers} watchers; {options.Changes:N0} changes at {options.ChangesPerSecond}/s");

        var clock = Stopwatch.StartNew();
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = Fleet(options) });
        var started = clock.Elapsed;
        var running = await WaitUntilRunningAsync(sim, options.Pods, TimeSpan.FromMinutes(10));
        Report.Line($"start: listening after {started.TotalSeconds:0.0} s; {running:N0} pods Running after {clock.Elapsed.TotalSeconds:0.0} s");
        Report.Memory("after seeding");

        var big = sim["big"];
        using var client = new k8s.Kubernetes(WithTimeout(big.CreateClientConfiguration()));
        var resourceVersion = await MeasureListsAsync(client, big, options);
        await MeasureWatchFanOutAsync(client, resourceVersion, options);
        Report.Memory("at the end");
        return 0;
    }

    private static List<ClusterOptions> Fleet(BenchmarkOptions options)
    {
        var rest = options.Pods - options.BigClusterPods;
        var clusters = new List<ClusterOptions>
        {
            new() { Name = "big", Nodes = Math.Max(3, options.BigClusterPods / 100), Pods = options.BigClusterPods },
        };
        for (var i = 0; i < 3 && rest > 0; i++)
        {
            var pods = i == 2 ? rest - (2 * (rest / 3)) : rest / 3;
            // The other clusters churn lightly, as a live fleet does, while the big one is measured.
            clusters.Add(new ClusterOptions { Name = $"fleet-{i + 1}", Nodes = Math.Max(3, pods / 100), Pods = pods, ChurnPerSecond = 5, Seed = i + 2 });
        }
        return clusters;
    }

    private static async Task<long> WaitUntilRunningAsync(SimulatorHost sim, int expected, TimeSpan timeout)
    {
        // Counted in the store: a LIST with a field selector carries no remainingItemCount (as in Kubernetes).
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var running = sim.RunningPods();
            if (running >= expected * SimulatorHost.SeededShare || deadline.Elapsed > timeout)
            {
                return running;
            }
            await Task.Delay(1000);
        }
    }

    private static async Task<string> MeasureListsAsync(k8s.Kubernetes client, SimulatedCluster big, BenchmarkOptions options)
    {
        var typed = new List<double>();
        var raw = new List<double>();
        var paged = new List<double>();
        long bytes = 0;
        var count = 0;
        string resourceVersion = "";
        for (var run = 0; run <= options.ListRuns; run++)
        {
            var watch = Stopwatch.StartNew();
            var list = await client.CoreV1.ListPodForAllNamespacesAsync();
            var typedMs = watch.Elapsed.TotalMilliseconds;
            count = list.Items.Count;
            resourceVersion = list.Metadata.ResourceVersion;

            watch.Restart();
            using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(big.BaseUrl.ToString().TrimEnd('/') + "/api/v1/pods")))
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", big.Token);
                using var response = await client.HttpClient.SendAsync(request);
                response.EnsureSuccessStatusCode();
                bytes = (await response.Content.ReadAsByteArrayAsync()).LongLength;
            }
            var rawMs = watch.Elapsed.TotalMilliseconds;

            watch.Restart();
            string? next = null;
            do
            {
                var page = await client.CoreV1.ListPodForAllNamespacesAsync(limit: 500, continueParameter: next);
                next = page.Metadata.ContinueProperty;
            }
            while (!string.IsNullOrEmpty(next));
            var pagedMs = watch.Elapsed.TotalMilliseconds;

            if (run > 0)
            {
                typed.Add(typedMs);
                raw.Add(rawMs);
                paged.Add(pagedMs);
            }
        }
        Report.Line($"LIST all {count:N0} pods of 'big', KubernetesClient typed (server + transfer + deserialize): {Percentiles.Of(typed)}");
        Report.Line($"LIST all {count:N0} pods of 'big', raw bytes ({bytes / 1024.0 / 1024.0:0.0} MB, server + transfer): {Percentiles.Of(raw)}");
        Report.Line($"LIST all {count:N0} pods of 'big' in pages of 500 (what an informer does), typed: {Percentiles.Of(paged)}");
        return resourceVersion;
    }

    private static async Task MeasureWatchFanOutAsync(k8s.Kubernetes client, string resourceVersion, BenchmarkOptions options)
    {
        var clock = Stopwatch.StartNew();
        var sent = new ConcurrentDictionary<string, double>();
        var received = Enumerable.Range(0, options.Watchers).Select(_ => new ConcurrentDictionary<string, double>()).ToArray();
        using var stop = new CancellationTokenSource();
        var watchers = Enumerable.Range(0, options.Watchers).Select(w => Task.Run(async () =>
        {
            try
            {
                await foreach (var (type, pod) in client.CoreV1.WatchListPodForAllNamespacesAsync(
                    resourceVersion: resourceVersion, allowWatchBookmarks: true, cancellationToken: stop.Token))
                {
                    if (type == WatchEventType.Modified && pod.Metadata.Labels?.TryGetValue("bench-seq", out var seq) == true)
                    {
                        received[w].TryAdd(seq, clock.Elapsed.TotalMilliseconds);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The benchmark is over.
            }
        })).ToArray();

        var pods = (await client.CoreV1.ListPodForAllNamespacesAsync(limit: options.Changes + 1)).Items.Take(options.Changes + 1).ToList();
        await PatchAsync(client, pods[0], "warm-up", sent, clock);
        await WaitAsync(() => received.All(r => r.ContainsKey("warm-up")), TimeSpan.FromSeconds(30));
        sent.Clear();

        var interval = TimeSpan.FromSeconds(1.0 / options.ChangesPerSecond);
        var writeClock = Stopwatch.StartNew();
        for (var i = 1; i <= options.Changes; i++)
        {
            var due = interval * i;
            if (due > writeClock.Elapsed)
            {
                await Task.Delay(due - writeClock.Elapsed);
            }
            await PatchAsync(client, pods[i % pods.Count], i.ToString(CultureInfo.InvariantCulture), sent, clock);
        }
        var writeSeconds = writeClock.Elapsed.TotalSeconds;
        var complete = await WaitAsync(() => received.All(r => sent.Keys.All(r.ContainsKey)), TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(watchers);

        var latencies = received.SelectMany(r => r.Where(e => sent.ContainsKey(e.Key)).Select(e => e.Value - sent[e.Key])).ToList();
        var expected = (long)sent.Count * options.Watchers;
        Report.Line($"watch fan-out: {options.Changes:N0} pod changes written at {options.Changes / writeSeconds:0} /s, {options.Watchers} watchers: " +
            $"{latencies.Count:N0} of {expected:N0} events delivered{(complete ? "" : " (INCOMPLETE)")}");
        Report.Line($"watch fan-out latency, write sent → event decoded by each watcher: {Percentiles.Of(latencies)}");
    }

    private static async Task PatchAsync(k8s.Kubernetes client, V1Pod pod, string seq, ConcurrentDictionary<string, double> sent, Stopwatch clock)
    {
        sent[seq] = clock.Elapsed.TotalMilliseconds;
        var patch = new V1Patch("{\"metadata\":{\"labels\":{\"bench-seq\":\"" + seq + "\"}}}", V1Patch.PatchType.MergePatch);
        await client.CoreV1.PatchNamespacedPodAsync(patch, pod.Metadata.Name, pod.Metadata.NamespaceProperty);
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    private static KubernetesClientConfiguration WithTimeout(KubernetesClientConfiguration configuration)
    {
        configuration.HttpClientTimeout = TimeSpan.FromMinutes(5);
        return configuration;
    }
}

internal static class Report
{
    public static void Line(string text) => Console.WriteLine(text);

    public static void Memory(string when)
    {
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        Line($"memory {when}: working set {process.WorkingSet64 / 1024.0 / 1024.0:N0} MB, managed heap {GC.GetTotalMemory(false) / 1024.0 / 1024.0:N0} MB");
    }
}
