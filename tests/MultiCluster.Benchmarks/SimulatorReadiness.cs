using System.Diagnostics;
using k8s;

namespace MultiCluster.Benchmarks;

/// <summary>
/// The simulator seeds Deployments whose pods its controllers create, schedule and start over time: wait
/// until they all run, so the fleet is settled (and list continue tokens stay valid) before measuring.
/// </summary>
internal static class SimulatorReadiness
{
    public static async Task WaitForPodsAsync(string kubeconfig, IReadOnlyList<string> contexts, int podsPerCluster, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        // Four clusters at a time, two small requests each: listing every Running pod of 150 busy clusters one by one
        // took longer than seeding them.
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(contexts.Select(async context =>
        {
            await gate.WaitAsync();
            try
            {
                await WaitForClusterAsync(kubeconfig, context, podsPerCluster, clock, timeout);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static async Task WaitForClusterAsync(string kubeconfig, string context, int podsPerCluster, Stopwatch clock, TimeSpan timeout)
    {
        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, currentContext: context));
        while (true)
        {
            int count;
            try
            {
                // Running = every pod (one item and the remaining count) minus those not Running (few, once seeded).
                var first = await client.CoreV1.ListPodForAllNamespacesAsync(limit: 1);
                var notRunning = (await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "status.phase!=Running")).Items.Count;
                count = first.Items.Count + (int)(first.Metadata.RemainingItemCount ?? 0) - notRunning;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && clock.Elapsed < timeout)
            {
                // A simulator seeding hundreds of thousands of pods can be slow to answer: ask again.
                continue;
            }
            if (count >= podsPerCluster)
            {
                return;
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"cluster {context} has {count} of {podsPerCluster} pods Running after {timeout.TotalMinutes} minutes");
            }
            await Task.Delay(500);
        }
    }
}
