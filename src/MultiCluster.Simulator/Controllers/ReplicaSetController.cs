using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>Keeps spec.replicas pods of each ReplicaSet, and its status counts; a refused create is a FailedCreate Warning and a ReplicaFailure condition.</summary>
internal sealed class ReplicaSetController(ClusterStore store, OwnerIndex owners, EventRecorder events)
{
    /// <summary>
    /// Each ReplicaSet's version and pod counts after its last pass that had nothing left to do. Every change of one of
    /// its pods (a churned restart, a kubelet's status) brings a ReplicaSet back; while it and its counts are the same,
    /// that pass would parse it twice to write nothing.
    /// </summary>
    private readonly Dictionary<string, (long ResourceVersion, int Pods, int Ready)> _settled = new(StringComparer.Ordinal);

    public void Sync(StoredObject stored)
    {
        if (stored.Terminating)
        {
            _settled.Remove(stored.Key);
            return;
        }
        // Every change of one of its pods brings a ReplicaSet back, most of them a status that leaves its counts as they
        // were: told from the counts the owner index keeps, without reading each pod. (A change the feed has not brought
        // yet brings the ReplicaSet back when it comes.)
        var (live, liveReady) = owners.PodsOf(stored.Uid);
        if (_settled.GetValueOrDefault(stored.Key) == (stored.ResourceVersion, live, liveReady))
        {
            return;
        }
        _settled.Remove(stored.Key);
        var rs = stored.ToJsonObject();
        var desired = JsonNumber.Long(rs["spec"]?["replicas"]) ?? 1;
        // With as many pods as it wants, a pass only writes their counts (a pod became Ready, or stopped being): the pods
        // are read one by one only to create or delete some.
        var (replicas, ready, failure) = live == desired ? (live, liveReady, null) : Converge(stored, rs, desired);
        var written = store.Mutate(ResourceCatalog.ReplicaSets, stored.Namespace, stored.Name, r =>
        {
            var status = new JsonObject
            {
                ["replicas"] = replicas,
                ["fullyLabeledReplicas"] = replicas,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = ready,
                ["observedGeneration"] = r["metadata"]?["generation"]?.DeepClone(),
            };
            if (failure is not null)
            {
                status["conditions"] = new JsonArray(ReplicaFailure(r, failure));
            }
            if (JsonNode.DeepEquals(status, r["status"]))
            {
                return false;
            }
            r["status"] = status;
            return true;
        });
        if (failure is not null)
        {
            throw failure;
        }
        if (written is not null && replicas == desired)
        {
            _settled[stored.Key] = (written.ResourceVersion, replicas, ready);
        }
    }

    /// <summary>Creates the pods a ReplicaSet lacks, or deletes those it has too many of: how many it has after, how many are Ready, and a refused create.</summary>
    private (int Replicas, int Ready, Api.ApiException? Failure) Converge(StoredObject stored, JsonObject rs, long desired)
    {
        // Decided on the stored facts (terminating, Ready, node): a ReplicaSet's pods are not parsed on each pass.
        var pods = owners.DependentsOf(stored.Uid).Where(d => d.Type == ResourceCatalog.Pods)
            .Select(d => store.Get(ResourceCatalog.Pods, d.Key))
            .OfType<StoredObject>().Where(p => !p.Terminating).ToList();
        Api.ApiException? failure = null;
        for (var i = pods.Count; i < desired && failure is null; i++)
        {
            var template = rs["spec"]?["template"] as JsonObject ?? [];
            var metadata = (template["metadata"]?.DeepClone() as JsonObject) ?? [];
            metadata["generateName"] = stored.Name + "-";
            metadata["ownerReferences"] = OwnerIndex.OwnerReferences(rs);
            var pod = new JsonObject { ["metadata"] = metadata, ["spec"] = template["spec"]?.DeepClone() };
            try
            {
                var created = store.Create(ResourceCatalog.Pods, stored.Namespace, pod);
                pods.Add(created);
                events.Normal(rs, "SuccessfulCreate", $"Created pod: {created.Name}", "replicaset-controller");
            }
            catch (Api.ApiException e) when (e.Code is 403 or 422)
            {
                // As kube-controller-manager: a Warning for each refusal (none when the namespace is going away), and a retry later.
                if (!e.IsNamespaceTerminating)
                {
                    events.Warning(rs, "FailedCreate", $"Error creating: {e.Message}", "replicaset-controller");
                }
                failure = e;
            }
        }
        if (pods.Count > desired)
        {
            // Unscheduled pods first, then the newest.
            foreach (var surplus in pods.Select(p => (Pod: p, Created: (string?)p.ToJsonObject()["metadata"]?["creationTimestamp"]))
                         .OrderBy(p => p.Pod.Fields.ContainsKey("spec.nodeName") ? 1 : 0)
                         .ThenByDescending(p => p.Created, StringComparer.Ordinal)
                         .Take(pods.Count - (int)desired).Select(p => p.Pod).ToList())
            {
                store.Delete(ResourceCatalog.Pods, stored.Namespace, surplus.Name);
                pods.Remove(surplus);
                events.Normal(rs, "SuccessfulDelete", $"Deleted pod: {surplus.Name}", "replicaset-controller");
            }
        }
        return (pods.Count, pods.Count(p => p.Ready), failure);
    }

    /// <summary>A deleted ReplicaSet is forgotten.</summary>
    public void Forget(string key) => _settled.Remove(key);

    /// <summary>
    /// The ReplicaFailure condition kube's replica set controller keeps while it cannot create pods: set on the first
    /// failure with that error (later failures leave it, so a refusal does not rewrite status each retry), gone on success.
    /// </summary>
    private JsonObject ReplicaFailure(JsonObject rs, Api.ApiException failure) =>
        (rs["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "ReplicaFailure")?.DeepClone().AsObject()
        ?? new JsonObject
        {
            ["type"] = "ReplicaFailure",
            ["status"] = "True",
            ["lastTransitionTime"] = ClusterStore.Timestamp(store.Time.GetUtcNow()),
            ["reason"] = "FailedCreate",
            ["message"] = failure.Message,
        };

    public static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True");
}
