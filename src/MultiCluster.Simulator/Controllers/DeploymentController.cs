using System.Globalization;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// Rolls each Deployment out as ReplicaSets named after its pod template hash: the current one scaled to
/// spec.replicas, older ones scaled to zero; the Deployment's status sums theirs.
/// </summary>
internal sealed class DeploymentController(ClusterStore store, OwnerIndex owners, EventRecorder events)
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>
    /// Each Deployment's version and its ReplicaSets' versions after its last pass that changed nothing but its own
    /// status: its status write comes back as a change, and that pass would parse it and every ReplicaSet to write nothing.
    /// </summary>
    private readonly Dictionary<string, (long ResourceVersion, long[] ReplicaSets)> _settled = new(StringComparer.Ordinal);

    /// <summary>
    /// Each Deployment's version after its last status pass, and what that status was made of: a ReplicaSet's change
    /// (a pod replaced, a count back where it was) often leaves the sums as they were, and then the Deployment's status
    /// would be built, compared and left as it is.
    /// </summary>
    private readonly Dictionary<string, (long ResourceVersion, StatusInputs Inputs)> _written = new(StringComparer.Ordinal);

    public void Sync(StoredObject stored)
    {
        if (stored.Terminating)
        {
            Forget(stored.Key);
            return;
        }
        var storedSets = owners.DependentsOf(stored.Uid).Where(d => d.Type == ResourceCatalog.ReplicaSets)
            .Select(d => store.Get(ResourceCatalog.ReplicaSets, d.Key))
            .OfType<StoredObject>().ToList();
        var versions = storedSets.Select(r => r.ResourceVersion).Order().ToArray();
        if (_settled.TryGetValue(stored.Key, out var last) && last.ResourceVersion == stored.ResourceVersion && last.ReplicaSets.AsSpan().SequenceEqual(versions))
        {
            return;
        }
        _settled.Remove(stored.Key);
        var deployment = stored.ToJsonObject();
        var desired = JsonNumber.Long(deployment["spec"]?["replicas"]) ?? 1;
        var template = deployment["spec"]?["template"] as JsonObject ?? [];
        var hash = TemplateHash(template);
        var sets = storedSets.Select(r => r.ToJsonObject()).ToList();
        // A ReplicaSet created or scaled here changes again: this pass settles nothing.
        var scaled = false;
        var current = sets.FirstOrDefault(r => (string?)r["metadata"]?["labels"]?["pod-template-hash"] == hash);
        var revision = sets.Select(r => long.TryParse((string?)r["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"], CultureInfo.InvariantCulture, out var v) ? v : 0).DefaultIfEmpty(0).Max();
        if (current is null)
        {
            var created = store.Create(ResourceCatalog.ReplicaSets, stored.Namespace, NewReplicaSet(deployment, template, hash, desired, revision + 1));
            current = created.ToJsonObject();
            sets.Add(current);
            scaled = true;
            events.Normal(deployment, "ScalingReplicaSet", $"Scaled up replica set {created.Name} from 0 to {desired}", "deployment-controller");
        }
        foreach (var set in sets)
        {
            var target = ReferenceEquals(set, current) ? desired : 0;
            var replicas = JsonNumber.Long(set["spec"]?["replicas"]) ?? 0;
            if (replicas != target)
            {
                var name = (string)set["metadata"]!["name"]!;
                store.Mutate(ResourceCatalog.ReplicaSets, stored.Namespace, name, r =>
                {
                    r["spec"]!["replicas"] = target;
                    return true;
                });
                scaled = true;
                events.Normal(deployment, "ScalingReplicaSet", $"Scaled {(target > replicas ? "up" : "down")} replica set {name} from {replicas} to {target}", "deployment-controller");
            }
        }
        long Sum(string field) => sets.Sum(s => JsonNumber.Long(s["status"]?[field]) ?? 0);
        var updated = JsonNumber.Long(current["status"]?["replicas"]) ?? 0;
        var available = Sum("availableReplicas");
        var now = ClusterStore.Timestamp(store.Time.GetUtcNow());
        var currentRevision = (string?)current["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"] ?? "1";
        // A ReplicaSet that cannot create pods (a quota, a LimitRange) shows on its Deployment, as getReplicaFailures copies it.
        var failure = sets.Prepend(current).Select(r => (r["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "ReplicaFailure"))
            .FirstOrDefault(c => c is not null);
        var inputs = new StatusInputs(desired, Sum("replicas"), updated, Sum("readyReplicas"), available, currentRevision, (string?)current["metadata"]?["name"], failure?.ToJsonString());
        if (!scaled && _written.TryGetValue(stored.Key, out var before) && before.ResourceVersion == stored.ResourceVersion && before.Inputs == inputs)
        {
            // The same Deployment, its status made of the same figures: the pass would write nothing.
            _settled[stored.Key] = (stored.ResourceVersion, versions);
            return;
        }
        var written = store.Mutate(ResourceCatalog.Deployments, stored.Namespace, stored.Name, d =>
        {
            var status = new JsonObject
            {
                ["observedGeneration"] = d["metadata"]?["generation"]?.DeepClone(),
                ["replicas"] = Sum("replicas"),
                ["updatedReplicas"] = updated,
                ["readyReplicas"] = Sum("readyReplicas"),
                ["availableReplicas"] = available,
            };
            if (desired - available > 0)
            {
                status["unavailableReplicas"] = desired - available;
            }
            var complete = available >= desired && updated == desired;
            status["conditions"] = new JsonArray(
                Condition("Available", available >= desired ? "True" : "False", available >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    available >= desired ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", d, now),
                Condition("Progressing", "True", complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                    complete ? $"ReplicaSet \"{current["metadata"]!["name"]}\" has successfully progressed." : $"ReplicaSet \"{current["metadata"]!["name"]}\" is progressing.", d, now));
            if (failure is not null)
            {
                status["conditions"]!.AsArray().Add(new JsonObject
                {
                    ["type"] = "ReplicaFailure",
                    ["status"] = failure["status"]?.DeepClone(),
                    ["lastUpdateTime"] = failure["lastTransitionTime"]?.DeepClone(),
                    ["lastTransitionTime"] = failure["lastTransitionTime"]?.DeepClone(),
                    ["reason"] = failure["reason"]?.DeepClone(),
                    ["message"] = failure["message"]?.DeepClone(),
                });
            }
            var annotations = d["metadata"]!["annotations"] as JsonObject ?? [];
            d["metadata"]!["annotations"] = annotations;
            var changed = (string?)annotations["deployment.kubernetes.io/revision"] != currentRevision;
            annotations["deployment.kubernetes.io/revision"] = currentRevision;
            if (!changed && JsonNode.DeepEquals(Comparable(status), Comparable(d["status"] as JsonObject)))
            {
                return false;
            }
            d["status"] = status;
            return true;
        });
        if (written is not null)
        {
            _written[stored.Key] = (written.ResourceVersion, inputs);
            if (!scaled)
            {
                _settled[stored.Key] = (written.ResourceVersion, versions);
            }
        }
    }

    /// <summary>A deleted Deployment is forgotten.</summary>
    public void Forget(string key)
    {
        _settled.Remove(key);
        _written.Remove(key);
    }

    private static JsonObject NewReplicaSet(JsonObject deployment, JsonObject template, string hash, long replicas, long revision)
    {
        var name = (string)deployment["metadata"]!["name"]!;
        var podTemplate = (JsonObject)template.DeepClone();
        var templateMetadata = podTemplate["metadata"] as JsonObject ?? [];
        podTemplate["metadata"] = templateMetadata;
        var labels = (templateMetadata["labels"] as JsonObject) ?? [];
        labels["pod-template-hash"] = hash;
        templateMetadata["labels"] = labels;
        var selector = (deployment["spec"]?["selector"]?.DeepClone() as JsonObject) ?? [];
        var matchLabels = selector["matchLabels"] as JsonObject ?? [];
        matchLabels["pod-template-hash"] = hash;
        selector["matchLabels"] = matchLabels;
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{name}-{hash}",
                ["labels"] = labels.DeepClone(),
                ["annotations"] = new JsonObject
                {
                    ["deployment.kubernetes.io/desired-replicas"] = replicas.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/max-replicas"] = (replicas + (long)Math.Ceiling(replicas * 0.25)).ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/revision"] = revision.ToString(CultureInfo.InvariantCulture),
                },
                ["ownerReferences"] = OwnerIndex.OwnerReferences(deployment),
            },
            ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = podTemplate },
        };
    }

    /// <summary>A short, stable hash of the pod template, spelled in the alphabet Kubernetes uses for names.</summary>
    public static string TemplateHash(JsonObject template)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(template.ToJsonString()))
        {
            hash = (hash ^ b) * 16777619u;
        }
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[(int)(hash % (uint)Alphabet.Length)];
            hash = (hash / (uint)Alphabet.Length) ^ (hash * 31u);
        }
        return new string(chars);
    }

    private static JsonObject Condition(string type, string status, string reason, string message, JsonObject deployment, string now)
    {
        var previous = (deployment["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        var same = previous is not null && (string?)previous["status"] == status && (string?)previous["reason"] == reason;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = same ? (string?)previous!["lastUpdateTime"] : now,
            ["lastTransitionTime"] = previous is not null && (string?)previous["status"] == status ? (string?)previous["lastTransitionTime"] : now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    /// <summary>What a Deployment's status is made of, besides the Deployment itself.</summary>
    private readonly record struct StatusInputs(long Desired, long Replicas, long Updated, long Ready, long Available, string Revision, string? Current, string? Failure);

    private static JsonObject? Comparable(JsonObject? status)
    {
        if (status?.DeepClone() is not JsonObject copy)
        {
            return null;
        }
        foreach (var condition in (copy["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            condition.Remove("lastUpdateTime");
            condition.Remove("lastTransitionTime");
        }
        return copy;
    }
}
