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
        foreach (var quota in store.Snapshot(ResourceCatalog.ResourceQuotas, ns))
        {
            // Measured under the store's lock, so usage never lags a create that admission has just charged.
            store.Mutate(ResourceCatalog.ResourceQuotas, ns, quota.Name, q =>
            {
                var status = new JsonObject { ["hard"] = ResourceList.ToJson(ResourceList.Read(q["spec"]?["hard"])), ["used"] = ResourceList.ToJson(Usage(ns, q)) };
                if (JsonNode.DeepEquals(status, q["status"]))
                {
                    return false;
                }
                q["status"] = status;
                return true;
            });
        }
    }

    private SortedDictionary<string, Quantity> Usage(string ns, JsonObject quota)
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
            var objects = store.Snapshot(evaluator.Type, ns);
            if (evaluator.CountsOnly)
            {
                // Object counts need no parsing; any scope keeps them out of the quota.
                foreach (var resource in matched)
                {
                    usage[resource] = new Quantity(scopes.Count == 0 ? objects.Count : 0, QuantityFormat.DecimalSI);
                }
            }
            else
            {
                foreach (var obj in objects.Select(o => o.ToJsonObject()))
                {
                    if (scopes.All(s => evaluator.MatchesScope(s.Scope, s.Operator, s.Values, obj)))
                    {
                        ResourceList.AddTo(usage, ResourceList.Mask(evaluator.Usage(obj, now), matched));
                    }
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
