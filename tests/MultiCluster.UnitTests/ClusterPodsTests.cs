using MultiCluster.Core.Fleet;

namespace MultiCluster.UnitTests;

/// <summary>A cluster's pod names side by side in chunks: a search finds what string.Contains finds, across the chunks' edges and after compaction.</summary>
public sealed class ClusterPodsTests
{
    [Fact]
    public void A_search_finds_every_name_holding_it_across_chunks_and_after_most_pods_went()
    {
        var pods = new ClusterPods();
        // About 4,000 names of 20 to 60 characters: several 64 KB chunks, with lines ending at and near their edges.
        var all = Enumerable.Range(0, 4_000).Select(i => Pod($"{new string('x', i % 41)}pod-{i:0000}")).ToList();
        foreach (var pod in all)
        {
            Assert.True(pods.Add(pod));
        }
        // Names no Kubernetes server accepts are searched the plain way.
        var odd = new[] { Pod("Web-Pod-7"), Pod("wéb-pod-7"), Pod("tab\tpod-7"), Pod(new string('y', ClusterPods.ChunkBytes) + "pod-7") };
        foreach (var pod in odd)
        {
            Assert.True(pods.Add(pod));
        }
        Assert.False(pods.Add(all[0]));
        Assert.True(pods.Count > 4_000);
        AssertSearches(pods, [.. all, .. odd]);

        // Nine in ten go (the chunks are compacted on the way), a thousand come, the rest change and keep their lines.
        foreach (var pod in all.Where((_, i) => i % 10 != 0))
        {
            Assert.True(pods.Remove(pod));
        }
        var kept = all.Where((_, i) => i % 10 == 0).Select(p => (Old: p, New: p with { Status = "Failed" })).ToList();
        foreach (var (old, current) in kept)
        {
            Assert.True(pods.Replace(old, current));
        }
        var added = Enumerable.Range(4_000, 1_000).Select(i => Pod($"pod-{i}{new string('z', i % 53)}")).ToList();
        foreach (var pod in added)
        {
            pods.Add(pod);
        }
        var now = kept.Select(k => k.New).Concat(added).Concat(odd).ToList();
        Assert.Equal(now.Count, pods.Count);
        AssertSearches(pods, now);
        Assert.False(pods.Remove(all[1]));
    }

    private static void AssertSearches(ClusterPods pods, List<PodSummary> expected)
    {
        foreach (var search in new[] { "pod-7", "POD-0", "xpod-3999", "x", "-", "d-40", "pod-4999zzz", "é", "\t", "nothing" })
        {
            var found = new PodSummary[pods.Count];
            var count = 0;
            pods.Search(search, ClusterPods.Lowered(search), found, ref count);
            Assert.Equal(
                expected.Where(p => p.Name.Contains(search, StringComparison.OrdinalIgnoreCase)).Select(p => p.Name).Order(StringComparer.Ordinal),
                found.Take(count).Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.All(found.Take(count), p => Assert.Contains(p, pods.Pods));
        }
    }

    private static PodSummary Pod(string name) => new() { Cluster = "prod", Namespace = "web", Name = name };
}
