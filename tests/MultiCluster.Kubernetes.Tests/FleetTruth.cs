using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>Compares what the fleet store holds of a cluster with what the simulated cluster really holds.</summary>
public static class FleetTruth
{
    private static readonly FleetKind[] Kinds = [FleetKind.Namespace, FleetKind.Node, FleetKind.Pod, FleetKind.Event, FleetKind.ResourceQuota];

    public static Dictionary<string, string> Truth(SimulatedCluster cluster)
    {
        var projections = new FleetProjections(new StringPool());
        var name = cluster.Name;
        var summaries = new List<IFleetObject?>();
        summaries.AddRange(Read<V1Namespace>(cluster, ResourceCatalog.Namespaces).Select(o => projections.Namespace(name, o)));
        summaries.AddRange(Read<V1Node>(cluster, ResourceCatalog.Nodes).Select(o => projections.Node(name, o)));
        summaries.AddRange(Read<V1Pod>(cluster, ResourceCatalog.Pods).Select(o => projections.Pod(name, o)));
        summaries.AddRange(Read<Corev1Event>(cluster, ResourceCatalog.Events).Select(o => projections.Event(name, o)));
        summaries.AddRange(Read<V1ResourceQuota>(cluster, ResourceCatalog.ResourceQuotas).Select(o => projections.Quota(name, o)));
        return summaries.OfType<IFleetObject>().ToDictionary(s => $"{s.Kind} {s.Key}", Serialize);
    }

    public static Dictionary<string, string> Held(FleetStateStore store, string cluster) =>
        Kinds.SelectMany(kind => store.All<IFleetObject>(kind, cluster)).ToDictionary(s => $"{s.Kind} {s.Key}", Serialize);

    /// <summary>Null when equal; otherwise the first differences in words.</summary>
    public static string? Differences(SimulatedCluster cluster, FleetStateStore store)
    {
        var truth = Truth(cluster);
        var held = Held(store, cluster.Name);
        var problems = truth.Where(t => !held.TryGetValue(t.Key, out var h) || h != t.Value).Select(t => held.ContainsKey(t.Key) ? $"stale {t.Key}" : $"missing {t.Key}")
            .Concat(held.Keys.Where(k => !truth.ContainsKey(k)).Select(k => $"extra {k}"))
            .ToList();
        return problems.Count == 0 ? null : $"{problems.Count} differences of {truth.Count} objects: {string.Join(", ", problems.Take(5))}";
    }

    private static IEnumerable<T> Read<T>(SimulatedCluster cluster, ResourceType type) =>
        cluster.Store.Snapshot(type).Select(o => KubernetesJson.Deserialize<T>(Encoding.UTF8.GetString(o.Json)));

    private static string Serialize(IFleetObject summary) => JsonSerializer.Serialize(summary, summary.GetType());
}
