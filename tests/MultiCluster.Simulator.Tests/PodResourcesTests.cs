using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Tests;

/// <summary>What the scheduler counts a pod as asking for.</summary>
public sealed class PodResourcesTests
{
    [Fact]
    public void A_plain_pods_cpu_and_memory_are_what_the_general_rule_sums()
    {
        // No init containers and no overhead: the scheduler's short way; one container asks for nothing, one for memory only.
        var pod = JsonNode.Parse("""
            {"spec":{"containers":[
              {"name":"a","resources":{"requests":{"cpu":"250m","memory":"64Mi"}}},
              {"name":"b","resources":{"requests":{"cpu":"1.5","memory":"1Gi"}}},
              {"name":"c"},
              {"name":"d","resources":{"requests":{"memory":"128974848"}}}]}}
            """)!.AsObject();

        var requests = PodResources.Requests(pod);

        Assert.Equal(((double)requests["cpu"].Value, (double)requests["memory"].Value), PodResources.CpuAndMemory(pod));
        Assert.Equal((1.75, 64.0 * 1024 * 1024 + 1024.0 * 1024 * 1024 + 128974848), PodResources.CpuAndMemory(pod));
    }

    [Fact]
    public void Init_containers_take_the_general_rule()
    {
        var pod = JsonNode.Parse("""
            {"spec":{"initContainers":[{"name":"setup","resources":{"requests":{"cpu":"2"}}}],
                     "containers":[{"name":"a","resources":{"requests":{"cpu":"500m"}}}]}}
            """)!.AsObject();

        Assert.Equal(2.0, PodResources.CpuAndMemory(pod).Cpu);
    }
}
