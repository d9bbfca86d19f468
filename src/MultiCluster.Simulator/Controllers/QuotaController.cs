using System.Globalization;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// The resource quota controller: keeps each ResourceQuota's status.hard (its spec.hard) and status.used (what
/// its namespace holds, measured by the quota evaluators within the quota's scopes) current. Resources no
/// evaluator measures keep no usage, as in kube-controller-manager.
/// </summary>
internal sealed class QuotaController(ClusterStore store)
{
    public static bool Affects(ResourceType type) => QuotaEvaluator.For(type) is not null;

    public void Sync(string ns)
    {
        var quotas = store.Snapshot(ResourceCatalog.ResourceQuotas, ns);
        // Read after the quotas, and once for all of them.
        var objects = new Dictionary<ResourceType, List<JsonObject>>();
        foreach (var quota in quotas)
        {
            var json = quota.ToJsonObject();
            var status = new JsonObject { ["hard"] = ResourceList.ToJson(ResourceList.Read(json["spec"]?["hard"])), ["used"] = ResourceList.ToJson(Usage(ns, json, objects)) };
            if (JsonNode.DeepEquals(status, json["status"]))
            {
                continue;
            }
            // Written only if nothing charged the quota since it was read (as an UpdateStatus with its resourceVersion):
            // otherwise the usage measured may lag that create, and the change brings this namespace round again.
            store.Mutate(ResourceCatalog.ResourceQuotas, ns, quota.Name, q =>
            {
                if ((string?)q["metadata"]?["resourceVersion"] != quota.ResourceVersion.ToString(CultureInfo.InvariantCulture))
                {
                    return false;
                }
                q["status"] = status;
                return true;
            });
        }
    }

    private Dictionary<string, Quantity> Usage(string ns, JsonObject quota, Dictionary<ResourceType, List<JsonObject>> objects)
    {
        var hard = ResourceList.Read(quota["spec"]?["hard"]);
        var used = ResourceList.Read(quota["status"]?["used"]);
        var scopes = QuotaEvaluator.Scopes(quota).ToList();
        var now = store.Time.GetUtcNow();
        foreach (var evaluator in QuotaEvaluator.All)
        {
            var matched = evaluator.MatchingResources(hard.Keys).ToList();
            if (matched.Count == 0)
            {
                continue;
            }
            var usage = ResourceList.Empty();
            foreach (var resource in matched)
            {
                usage[resource] = Quantity.Zero;
            }
            if (evaluator.CountsOnly)
            {
                // Object counts need no parsing; any scope keeps them out of the quota.
                var count = scopes.Count == 0 ? store.Snapshot(evaluator.Type, ns).Count : 0;
                foreach (var resource in matched)
                {
                    usage[resource] = new Quantity(count, QuantityFormat.DecimalSI);
                }
            }
            else
            {
                if (!objects.TryGetValue(evaluator.Type, out var items))
                {
                    objects[evaluator.Type] = items = [.. store.Snapshot(evaluator.Type, ns).Select(o => o.ToJsonObject())];
                }
                foreach (var obj in items.Where(o => scopes.All(s => evaluator.MatchesScope(s.Scope, s.Operator, s.Values, o))))
                {
                    ResourceList.AddTo(usage, ResourceList.Mask(evaluator.Usage(obj, now), matched));
                }
            }
            foreach (var (resource, quantity) in usage)
            {
                used[resource] = quantity;
            }
        }
        return ResourceList.Mask(used, hard.Keys);
    }
}
