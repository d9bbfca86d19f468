using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// The resource quota controller: keeps each ResourceQuota's status.hard and status.used (pods, CPU and
/// memory requests and limits, object counts) current with what its namespace holds.
/// </summary>
internal sealed class QuotaController(ClusterStore store)
{
    private static readonly Dictionary<string, ResourceType> Counted = new()
    {
        ["configmaps"] = ResourceCatalog.ConfigMaps,
        ["secrets"] = ResourceCatalog.Secrets,
        ["services"] = ResourceCatalog.Services,
        ["persistentvolumeclaims"] = ResourceCatalog.PersistentVolumeClaims,
        ["serviceaccounts"] = ResourceCatalog.ServiceAccounts,
    };

    public static bool Affects(ResourceType type) =>
        type == ResourceCatalog.Pods || type == ResourceCatalog.ResourceQuotas || Counted.ContainsValue(type);

    public void Sync(string ns)
    {
        var quotas = store.Snapshot(ResourceCatalog.ResourceQuotas, ns);
        if (quotas.Count == 0)
        {
            return;
        }
        var usage = Usage(ns);
        foreach (var quota in quotas)
        {
            store.Mutate(ResourceCatalog.ResourceQuotas, ns, quota.Name, q =>
            {
                var hard = q["spec"]?["hard"] as JsonObject ?? [];
                var used = new JsonObject();
                foreach (var (resource, _) in hard)
                {
                    used[resource] = QuotaUsage.Format(resource, usage.GetValueOrDefault(resource));
                }
                var status = new JsonObject { ["hard"] = hard.DeepClone(), ["used"] = used };
                if (JsonNode.DeepEquals(status, q["status"]))
                {
                    return false;
                }
                q["status"] = status;
                return true;
            });
        }
    }

    private Dictionary<string, double> Usage(string ns)
    {
        var usage = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string key, double value) => usage[key] = usage.GetValueOrDefault(key) + value;
        foreach (var stored in store.Snapshot(ResourceCatalog.Pods, ns))
        {
            if (stored.Fields.GetValueOrDefault("status.phase") is "Succeeded" or "Failed")
            {
                continue;
            }
            foreach (var (resource, value) in QuotaUsage.ForPod(stored.ToJsonObject()))
            {
                Add(resource, value);
            }
        }
        foreach (var (name, type) in Counted)
        {
            var count = store.Snapshot(type, ns).Count;
            usage[name] = count;
            usage["count/" + name] = count;
        }
        return usage;
    }
}
