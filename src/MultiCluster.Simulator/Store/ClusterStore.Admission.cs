using System.Text.Json.Nodes;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// Admission, in kube-apiserver's order: LimitRanger (container defaults, then the limits), then ResourceQuota,
/// which refuses what would exceed a quota of the namespace (403) and otherwise charges it to status.used.
/// Runs under the store's lock, so two creates never both take the last unit of a quota.
/// </summary>
public sealed partial class ClusterStore
{
    /// <summary>Admits a create (<paramref name="old"/> null) or an update of the main resource; may default fields of <paramref name="obj"/>.</summary>
    private void Admit(ResourceType type, string ns, string name, JsonObject obj, JsonObject? old, bool dryRun)
    {
        if (!type.Namespaced)
        {
            return;
        }
        if (type == ResourceCatalog.PersistentVolumeClaims || (type == ResourceCatalog.Pods && old is null))
        {
            var limitRanges = Range(ResourceCatalog.LimitRanges, ns, null).Select(l => l.ToJsonObject()).ToList();
            if (type == ResourceCatalog.Pods && limitRanges.Count > 0)
            {
                LimitRanger.ApplyDefaults(obj, limitRanges);
                if (obj["status"] is JsonObject status)
                {
                    status["qosClass"] = PodResources.QosClass(obj["spec"]);
                }
            }
            if (LimitRanger.Violations(type, obj, limitRanges) is { } violation)
            {
                throw ApiException.Forbidden(type, name, violation);
            }
        }
        ChargeQuotas(type, ns, name, obj, old, dryRun);
    }

    /// <summary>
    /// Admission of a replace or patch of the main resource (status and other subresources pass), then the
    /// manager's ownership of what it changed.
    /// </summary>
    private void AdmitUpdate(ResourceType type, StoredObject current, JsonObject merged, string? subresource, bool dryRun, string? fieldManager)
    {
        if (subresource is not null)
        {
            return;
        }
        var old = current.ToJsonObject();
        Admit(type, current.Namespace, current.Name, merged, old, dryRun);
        if (fieldManager is not null)
        {
            ManagedFields.RecordUpdate(type, old, merged, fieldManager, _time.GetUtcNow());
        }
    }

    private void ChargeQuotas(ResourceType type, string ns, string name, JsonObject obj, JsonObject? old, bool dryRun)
    {
        if (QuotaEvaluator.For(type) is not { } evaluator || (old is not null && !evaluator.ChargesUpdates))
        {
            return;
        }
        var quotas = Range(ResourceCatalog.ResourceQuotas, ns, null).ToList();
        if (quotas.Count == 0)
        {
            return;
        }
        // Quotas are enforced as their status says (status.hard, filled in by the quota controller), as kube-apiserver does.
        var pertinent = new List<(StoredObject Stored, JsonObject Json, Dictionary<string, Quantity> Hard, Dictionary<string, Quantity> Used)>();
        foreach (var quota in quotas)
        {
            var json = quota.ToJsonObject();
            var hard = ResourceList.Read(json["status"]?["hard"]);
            if (!evaluator.Matches(json, hard.Keys, obj))
            {
                continue;
            }
            var restricted = evaluator.MatchingResources(hard.Keys).ToList();
            if (evaluator.Constraints(restricted, obj) is { } unmet)
            {
                throw ApiException.Forbidden(type, name, $"failed quota: {quota.Name}: {unmet}");
            }
            var used = ResourceList.Read(json["status"]?["used"]);
            if (restricted.Any(r => !used.ContainsKey(r)))
            {
                throw ApiException.Forbidden(type, name, $"status unknown for quota: {quota.Name}, resources: {string.Join(',', restricted.Order(StringComparer.Ordinal))}");
            }
            pertinent.Add((quota, json, hard, used));
        }
        if (pertinent.Count == 0)
        {
            return;
        }
        var now = _time.GetUtcNow();
        var delta = evaluator.Usage(obj, now);
        if (old is not null)
        {
            // An update is charged what it adds (a service becoming a LoadBalancer, a claim growing), never a refund.
            var previous = evaluator.Usage(old, now);
            delta = ResourceList.Copy(delta.Select(d => KeyValuePair.Create(d.Key, previous.TryGetValue(d.Key, out var p) && p >= d.Value ? Quantity.Zero : d.Value - previous.GetValueOrDefault(d.Key, Quantity.Zero))));
        }
        delta = ResourceList.Copy(delta.Where(d => !d.Value.IsZero));
        if (delta.Count == 0)
        {
            return;
        }
        var charges = new List<(StoredObject Stored, JsonObject Json, Dictionary<string, Quantity> Used)>();
        foreach (var (quota, json, hard, used) in pertinent)
        {
            var requested = ResourceList.Mask(delta, hard.Keys);
            var newUsage = ResourceList.Copy(used);
            ResourceList.AddTo(newUsage, requested);
            var exceeded = requested.Keys.Where(r => newUsage[r] > hard[r]).ToList();
            if (exceeded.Count > 0)
            {
                throw ApiException.Forbidden(type, name,
                    $"exceeded quota: {quota.Name}, requested: {ResourceList.Pretty(ResourceList.Mask(requested, exceeded))}, " +
                    $"used: {ResourceList.Pretty(ResourceList.Mask(used, exceeded))}, limited: {ResourceList.Pretty(ResourceList.Mask(hard, exceeded))}");
            }
            if (requested.Count > 0)
            {
                charges.Add((quota, json, newUsage));
            }
        }
        if (dryRun)
        {
            return;
        }
        foreach (var (quota, json, used) in charges)
        {
            var status = json["status"] as JsonObject ?? [];
            status["used"] = ResourceList.ToJson(used);
            json["status"] = status;
            Commit(ResourceCatalog.ResourceQuotas, json, WatchEvent.Modified, quota);
        }
    }
}
