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
        foreach (var context in contexts)
        {
            using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, currentContext: context));
            while (true)
            {
                int count;
                try
                {
                    // A list with a field selector has no remainingItemCount (as in Kubernetes): count the items.
                    count = (await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "status.phase=Running")).Items.Count;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && clock.Elapsed < timeout)
                {
                    // A simulator seeding hundreds of thousands of pods can be slow to answer: ask again.
                    continue;
                }
                if (count >= podsPerCluster)
                {
                    break;
                }
                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"cluster {context} has {count} of {podsPerCluster} pods Running after {timeout.TotalMinutes} minutes");
                }
                await Task.Delay(500);
            }
        }
    }
}
