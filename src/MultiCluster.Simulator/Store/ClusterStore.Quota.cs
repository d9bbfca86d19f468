using System.Globalization;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>ResourceQuota admission: a pod that would exceed a quota in its namespace is refused (403), as kube-apiserver does.</summary>
public sealed partial class ClusterStore
{
    /// <summary>Checks the pod against every quota of its namespace and, when it fits, charges it to their status.used.</summary>
    private void AdmitToQuotas(string ns, string name, JsonObject pod, bool dryRun)
    {
        var quotas = Range(ResourceCatalog.ResourceQuotas, ns, null).ToList();
        if (quotas.Count == 0)
        {
            return;
        }
        var requested = QuotaUsage.ForPod(pod);
        var charges = new List<(StoredObject Quota, JsonObject Json)>();
        foreach (var quota in quotas)
        {
            var json = quota.ToJsonObject();
            var hard = json["spec"]?["hard"] as JsonObject ?? [];
            var used = json["status"]?["used"] as JsonObject ?? [];
            var exceeded = hard.Select(h => h.Key)
                .Where(r => requested.TryGetValue(r, out var want) && want > 0 && Quantity.Parse(used[r]) + want > Quantity.Parse(hard[r]))
                .Order(StringComparer.Ordinal).ToList();
            if (exceeded.Count > 0)
            {
                string List(Func<string, string> value) => string.Join(',', exceeded.Select(r => $"{r}={value(r)}"));
                throw new ApiException(403, "Forbidden",
                    $"pods \"{name}\" is forbidden: exceeded quota: {quota.Name}, requested: {List(r => QuotaUsage.Format(r, requested[r]))}, used: {List(r => QuotaUsage.Format(r, Quantity.Parse(used[r])))}, limited: {List(r => hard[r]!.ToString())}",
                    name, "pods", "");
            }
            if (hard.Any(h => requested.ContainsKey(h.Key)))
            {
                charges.Add((quota, json));
            }
        }
        if (dryRun)
        {
            return;
        }
        foreach (var (quota, json) in charges)
        {
            var hard = json["spec"]!["hard"]!.AsObject();
            var used = new JsonObject();
            foreach (var (resource, _) in hard)
            {
                var current = Quantity.Parse(json["status"]?["used"]?[resource]);
                used[resource] = QuotaUsage.Format(resource, current + requested.GetValueOrDefault(resource));
            }
            json["status"] = new JsonObject { ["hard"] = hard.DeepClone(), ["used"] = used };
            json["metadata"]!["resourceVersion"] = quota.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            Commit(ResourceCatalog.ResourceQuotas, json, WatchEvent.Modified, quota);
        }
    }
}
