using System.Globalization;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// Ordered pods {name}-0..{name}-(n-1): with OrderedReady, one pod at a time, each only after the ones
/// before it are Running and Ready; scaling down removes the highest ordinal first.
/// </summary>
internal sealed class StatefulSetController(ClusterStore store, OwnerIndex owners, EventRecorder events)
{
    public void Sync(StoredObject stored)
    {
        var set = stored.ToJsonObject();
        if (set["metadata"]?["deletionTimestamp"] is not null)
        {
            return;
        }
        var uid = (string)set["metadata"]!["uid"]!;
        var desired = (int)(JsonNumber.Long(set["spec"]?["replicas"]) ?? 1);
        var ordered = (string?)set["spec"]?["podManagementPolicy"] != "Parallel";
        var revision = $"{stored.Name}-{DeploymentController.TemplateHash(set["spec"]?["template"] as JsonObject ?? [])}";
        var pods = owners.DependentsOf(uid).Where(d => d.Type == ResourceCatalog.Pods)
            .Select(d => store.Get(ResourceCatalog.Pods, d.Key))
            .OfType<StoredObject>()
            .ToDictionary(p => Ordinal(stored.Name, p.Name), p => p.ToJsonObject());
        for (var ordinal = 0; ordinal < desired; ordinal++)
        {
            if (pods.ContainsKey(ordinal))
            {
                continue;
            }
            if (ordered && Enumerable.Range(0, ordinal).Any(i => !pods.TryGetValue(i, out var before) || !ReplicaSetController.IsReady(before) || before["metadata"]?["deletionTimestamp"] is not null))
            {
                break;
            }
            var pod = NewPod(set, stored.Name, ordinal, revision);
            StoredObject created;
            try
            {
                created = store.Create(ResourceCatalog.Pods, stored.Namespace, pod);
            }
            catch (Api.ApiException e) when (e.Code == 403 && !e.IsNamespaceTerminating)
            {
                events.Warning(set, "FailedCreate", $"create Pod {pod["metadata"]!["name"]} in StatefulSet {stored.Name} failed error: {e.Message}", "statefulset-controller");
                throw;
            }
            pods[ordinal] = created.ToJsonObject();
            events.Normal(set, "SuccessfulCreate", $"create Pod {created.Name} in StatefulSet {stored.Name} successful", "statefulset-controller");
            if (ordered)
            {
                break;
            }
        }
        foreach (var ordinal in pods.Keys.Where(o => o >= desired).OrderDescending().ToList())
        {
            var pod = pods[ordinal];
            if (pod["metadata"]?["deletionTimestamp"] is null)
            {
                var name = (string)pod["metadata"]!["name"]!;
                store.Delete(ResourceCatalog.Pods, stored.Namespace, name);
                events.Normal(set, "SuccessfulDelete", $"delete Pod {name} in StatefulSet {stored.Name} successful", "statefulset-controller");
            }
            if (ordered)
            {
                break;
            }
        }
        var live = pods.Values.Where(p => p["metadata"]?["deletionTimestamp"] is null).ToList();
        var ready = live.Count(ReplicaSetController.IsReady);
        store.Mutate(ResourceCatalog.StatefulSets, stored.Namespace, stored.Name, s =>
        {
            var status = new JsonObject
            {
                ["observedGeneration"] = s["metadata"]?["generation"]?.DeepClone(),
                ["replicas"] = live.Count,
                ["readyReplicas"] = ready,
                ["currentReplicas"] = live.Count,
                ["updatedReplicas"] = live.Count,
                ["availableReplicas"] = ready,
                ["currentRevision"] = revision,
                ["updateRevision"] = revision,
                ["collisionCount"] = 0,
            };
            if (JsonNode.DeepEquals(status, s["status"]))
            {
                return false;
            }
            s["status"] = status;
            return true;
        });
    }

    private static JsonObject NewPod(JsonObject set, string setName, int ordinal, string revision)
    {
        var template = set["spec"]?["template"] as JsonObject ?? [];
        var metadata = (template["metadata"]?.DeepClone() as JsonObject) ?? [];
        var name = $"{setName}-{ordinal}";
        var labels = metadata["labels"] as JsonObject ?? [];
        labels["apps.kubernetes.io/pod-index"] = ordinal.ToString(CultureInfo.InvariantCulture);
        labels["controller-revision-hash"] = revision;
        labels["statefulset.kubernetes.io/pod-name"] = name;
        metadata["labels"] = labels;
        metadata["name"] = name;
        metadata["ownerReferences"] = OwnerIndex.OwnerReferences(set);
        var spec = (template["spec"]?.DeepClone() as JsonObject) ?? [];
        spec["hostname"] = name;
        if ((string?)set["spec"]?["serviceName"] is { Length: > 0 } service)
        {
            spec["subdomain"] = service;
        }
        return new JsonObject { ["metadata"] = metadata, ["spec"] = spec };
    }

    private static int Ordinal(string setName, string podName) =>
        int.TryParse(podName.AsSpan(setName.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : int.MaxValue;
}
