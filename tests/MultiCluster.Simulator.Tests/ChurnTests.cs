using k8s;
using MultiCluster.Simulator.Controllers;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Tests;

/// <summary>Churn as a client watching a churning cluster sees it: pods come and go, and the cluster keeps the size it was asked for.</summary>
public sealed class ChurnTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const int Seeded = 500;

    [Fact]
    public async Task Churn_keeps_the_pod_count_within_two_percent_of_what_was_asked()
    {
        var cluster = await fixture.Host.AddClusterAsync(new ClusterOptions { Name = "churning", Nodes = 5, Pods = Seeded });
        try
        {
            using var client = new Kubernetes(cluster.CreateClientConfiguration());
            await Wait.ForAsync(async () => (await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "status.phase=Running")).Items.Count == Seeded,
                $"{Seeded} pods Running", seconds: 60);

            cluster.Churn.PodsPerSecond = 500;
            var counts = new List<int>();
            var churnPodsSeen = new HashSet<string>(StringComparer.Ordinal);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (cluster.Churn.Changes < 1_500 && DateTime.UtcNow < deadline)
            {
                var pods = (await client.CoreV1.ListPodForAllNamespacesAsync()).Items;
                counts.Add(pods.Count);
                churnPodsSeen.UnionWith(pods.Where(p => p.Metadata.Labels.ContainsKey(WorkloadChurn.ChurnLabel)).Select(p => p.Metadata.Name));
                await Task.Delay(50);
            }
            cluster.Churn.PodsPerSecond = 0;

            Assert.True(cluster.Churn.Changes >= 1_500, $"only {cluster.Churn.Changes} churn changes in a minute");
            Assert.NotEmpty(churnPodsSeen);
            Assert.All(counts, count => Assert.InRange(count, 0, Seeded * 1.02));
            // Once the churn stops, what its ReplicaSets replace is back and at most 1% of churn pods remain.
            await Wait.ForAsync(async () => (await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "status.phase=Running")).Items.Count is >= Seeded and <= (int)(Seeded * 1.01),
                "the seeded pods Running again, and at most 1% more");
        }
        finally
        {
            await fixture.Host.RemoveClusterAsync("churning");
        }
    }
}
