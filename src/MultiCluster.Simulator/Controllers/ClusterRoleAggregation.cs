using System.Text.Json.Nodes;
using MultiCluster.Simulator.Auth;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// The clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets the rules of every other ClusterRole
/// its clusterRoleSelectors match, in name order and without duplicates, whenever a ClusterRole changes.
/// </summary>
internal static class ClusterRoleAggregation
{
    /// <summary>One pass over the aggregated roles; true when one was rewritten (and another pass may follow it).</summary>
    public static bool Sync(ClusterStore store)
    {
        var roles = store.Snapshot(ResourceCatalog.ClusterRoles);
        var changed = false;
        foreach (var role in roles)
        {
            var json = role.ToJsonObject();
            if (json["aggregationRule"] is not JsonObject rule)
            {
                continue;
            }
            var selectors = (rule["clusterRoleSelectors"] as JsonArray ?? []).Select(LabelSelector.FromObject).ToList();
            var aggregated = new List<PolicyRule>();
            foreach (var source in roles.Where(r => r.Name != role.Name && selectors.Exists(s => s.Matches(r.Labels))).OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                foreach (var candidate in PolicyRule.ParseAll(source.ToJsonObject()["rules"]))
                {
                    if (!aggregated.Exists(r => r.SameAs(candidate)))
                    {
                        aggregated.Add(candidate);
                    }
                }
            }
            var current = PolicyRule.ParseAll(json["rules"]);
            if (current.Length == aggregated.Count && current.Zip(aggregated).All(p => p.First.SameAs(p.Second)))
            {
                continue;
            }
            store.Patch(ResourceCatalog.ClusterRoles, "", role.Name, obj =>
            {
                obj["rules"] = new JsonArray([.. aggregated.Select(r => (JsonNode)r.ToJson())]);
                return obj;
            }, null);
            changed = true;
        }
        return changed;
    }

    /// <summary>Aggregates until nothing changes (roles aggregating aggregated roles, as edit into admin, settle in a few passes).</summary>
    public static void Settle(ClusterStore store)
    {
        for (var pass = 0; pass < 10 && Sync(store); pass++)
        {
        }
    }
}
