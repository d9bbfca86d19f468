using System.Diagnostics;
using k8s;
using k8s.Models;

namespace MultiCluster.Benchmarks;

/// <summary>
/// Marker pods written through the Kubernetes API while the churn runs: the latency of each is from just
/// before its create request is sent to the moment the hub client first holds it.
/// </summary>
internal static class Markers
{
    public static async Task<Percentiles> MeasureAsync(string kubeconfig, IReadOnlyList<string> contexts, HubFollower hub, TimeSpan duration, int perSecond)
    {
        var clients = contexts.Select(c => new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, currentContext: c))).ToList();
        var sent = new List<(string Cluster, string Name, long Ticks)>();
        var writes = new List<Task>();
        var total = (int)(duration.TotalSeconds * perSecond);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
            var cluster = i % contexts.Count;
            var name = $"marker-{i}";
            sent.Add((contexts[cluster], name, Stopwatch.GetTimestamp()));
            writes.Add(clients[cluster].CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["benchmark"] = "marker" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            }, "default"));
        }
        await Task.WhenAll(writes);
        await hub.WaitAsync(h => sent.All(s => h.TryFirstSeen(s.Cluster, $"default/{s.Name}", out _)), TimeSpan.FromSeconds(30), "every marker pod");
        var samples = sent.Select(s => hub.TryFirstSeen(s.Cluster, $"default/{s.Name}", out var seen) ? Stopwatch.GetElapsedTime(s.Ticks, seen).TotalMilliseconds : double.NaN);
        foreach (var client in clients)
        {
            client.Dispose();
        }
        return Percentiles.Of(samples);
    }
}
