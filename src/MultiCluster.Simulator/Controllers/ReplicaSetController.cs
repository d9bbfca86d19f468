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

    /// <summary>
    /// Each ReplicaSet's pods created and not yet read from the feed: with the owner index's count they are what it has,
    /// as kube-controller-manager's expectations are, so a pass that only creates pods need not read the ones it has.
    /// </summary>
    private readonly Dictionary<string, HashSet<string>> _unseen = new(StringComparer.Ordinal);

    public void Sync(StoredObject stored)
    {
        if (stored.Terminating)
        {
            Forget(stored.Key);
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
        var (replicas, ready, failure) = live == desired ? (live, liveReady, null) : Converge(stored, rs, desired, live, liveReady);
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

    /// <summary>
    /// Creates the pods a ReplicaSet lacks, or deletes those it has too many of: how many it has after, how many are Ready,
    /// and a refused create. What it has is the owner index's count (<paramref name="live"/>, <paramref name="ready"/>) and
    /// the pods it created that the feed has not brought yet; only a deletion reads its pods, to choose which go.
    /// </summary>
    private (int Replicas, int Ready, Api.ApiException? Failure) Converge(StoredObject stored, JsonObject rs, long desired, int live, int ready)
    {
        var unseen = _unseen.GetValueOrDefault(stored.Key);
        // One the feed has brought is in the count; one deleted before the feed brought it never will be.
        unseen?.RemoveWhere(key => owners.Knows(ResourceCatalog.Pods, key) || store.Get(ResourceCatalog.Pods, key) is null);
        var have = live + (unseen?.Count ?? 0);
        if (have > desired)
        {
            return Reduce(stored, rs, desired);
        }
        Api.ApiException? failure = null;
        while (have < desired && failure is null)
        {
            var template = rs["spec"]?["template"] as JsonObject ?? [];
            var metadata = (template["metadata"]?.DeepClone() as JsonObject) ?? [];
            metadata["generateName"] = stored.Name + "-";
            metadata["ownerReferences"] = OwnerIndex.OwnerReferences(rs);
            var pod = new JsonObject { ["metadata"] = metadata, ["spec"] = template["spec"]?.DeepClone() };
            try
            {
                var created = store.Create(ResourceCatalog.Pods, stored.Namespace, pod);
                if (unseen is null)
                {
                    unseen = new HashSet<string>(StringComparer.Ordinal);
                    _unseen[stored.Key] = unseen;
                }
                unseen.Add(created.Key);
                have++;
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
        if (unseen is { Count: 0 })
        {
            _unseen.Remove(stored.Key);
        }
        return (have, ready, failure);
    }

    /// <summary>Deletes the pods a ReplicaSet has too many of, read from the store: unscheduled ones first, then the newest.</summary>
    private (int Replicas, int Ready, Api.ApiException? Failure) Reduce(StoredObject stored, JsonObject rs, long desired)
    {
        var pods = owners.DependentsOf(stored.Uid).Where(d => d.Type == ResourceCatalog.Pods)
            .Select(d => store.Get(ResourceCatalog.Pods, d.Key))
            .OfType<StoredObject>().Where(p => !p.Terminating).ToList();
        if (_unseen.GetValueOrDefault(stored.Key) is { } unseen)
        {
            // Created and not yet brought by the feed, so not in the owner index's list.
            pods.AddRange(unseen.Select(key => store.Get(ResourceCatalog.Pods, key)).OfType<StoredObject>().Where(p => !p.Terminating));
        }
        if (pods.Count > desired)
        {
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
        return (pods.Count, pods.Count(p => p.Ready), null);
    }

    /// <summary>A deleted ReplicaSet is forgotten.</summary>
    public void Forget(string key)
    {
        _settled.Remove(key);
        _unseen.Remove(key);
    }

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
