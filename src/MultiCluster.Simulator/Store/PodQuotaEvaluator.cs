using System.Globalization;
using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// Pods (pkg/quota/v1/evaluator/core/pods.go): count/pods for every stored pod; pods and the compute resources
/// (cpu, memory and ephemeral-storage requests and limits, hugepages, extended resources) only while the pod
/// is not finished nor past its deletion grace period; the quota scopes.
/// </summary>
internal sealed class PodQuotaEvaluator() : QuotaEvaluator(ResourceCatalog.Pods)
{
    private static readonly string[] Resources =
    [
        "count/pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods",
    ];

    /// <summary>Quotas on these oblige every container to state them (a historical rule kube keeps; see pods.go's validationSet).</summary>
    private static readonly string[] MustSpecify = ["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"];

    public override bool CountsOnly => false;

    public override IEnumerable<string> MatchingResources(IEnumerable<string> names) =>
        names.Where(n => Resources.Contains(n) || n.StartsWith("hugepages-", StringComparison.Ordinal) ||
                         n.StartsWith("requests.hugepages-", StringComparison.Ordinal) || IsExtendedForQuota(n));

    public override Dictionary<string, Quantity> Usage(JsonObject obj, DateTimeOffset now)
    {
        var usage = ResourceList.Empty();
        usage["count/pods"] = Count(1);
        if (!IsCharged(obj, now))
        {
            return usage;
        }
        ResourceList.AddTo(usage, ComputeUsage(PodResources.Requests(obj), PodResources.Limits(obj)));
        return usage;
    }

    public override string? Constraints(IReadOnlyCollection<string> required, JsonObject obj)
    {
        var requiredSet = required.Where(MustSpecify.Contains).ToHashSet(StringComparer.Ordinal);
        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var spec = obj["spec"];
        foreach (var container in PodResources.Containers(spec).Concat(PodResources.InitContainers(spec)))
        {
            var has = ComputeUsage(ResourceList.Read(container["resources"]?["requests"]), ResourceList.Read(container["resources"]?["limits"]));
            foreach (var resource in requiredSet.Where(r => !has.ContainsKey(r)))
            {
                if (!missing.TryGetValue(resource, out var containers))
                {
                    missing[resource] = containers = new SortedSet<string>(StringComparer.Ordinal);
                }
                containers.Add((string?)container["name"] ?? "");
            }
        }
        return missing.Count == 0 ? null : "must specify " + string.Join("; ", missing.Select(m => $"{m.Key} for: {string.Join(',', m.Value)}"));
    }

    public override bool MatchesScope(string scope, string? op, IReadOnlyList<string> values, JsonObject obj)
    {
        var spec = obj["spec"];
        var priorityClass = (string?)spec?["priorityClassName"] ?? "";
        return scope switch
        {
            "Terminating" => IsTerminating(spec),
            "NotTerminating" => !IsTerminating(spec),
            "BestEffort" => PodResources.QosClass(spec) == "BestEffort",
            "NotBestEffort" => PodResources.QosClass(spec) != "BestEffort",
            // As a label selector over {PriorityClass: spec.priorityClassName}: the key is always there, so DoesNotExist never matches.
            "PriorityClass" => op switch
            {
                "Exists" => priorityClass.Length > 0,
                "In" => values.Contains(priorityClass),
                "NotIn" => !values.Contains(priorityClass),
                _ => false,
            },
            "CrossNamespacePodAffinity" => UsesCrossNamespaceAffinity(spec),
            _ => false,
        };
    }

    /// <summary>podComputeUsageHelper: what requests and limits count as (cpu is requests.cpu, and so on).</summary>
    private static Dictionary<string, Quantity> ComputeUsage(Dictionary<string, Quantity> requests, Dictionary<string, Quantity> limits)
    {
        var usage = ResourceList.Empty();
        usage["pods"] = Count(1);
        foreach (var resource in new[] { "cpu", "memory", "ephemeral-storage" })
        {
            if (requests.TryGetValue(resource, out var request))
            {
                usage[resource] = request;
                usage["requests." + resource] = request;
            }
            if (limits.TryGetValue(resource, out var limit))
            {
                usage["limits." + resource] = limit;
            }
        }
        foreach (var (resource, request) in requests)
        {
            if (resource.StartsWith("hugepages-", StringComparison.Ordinal))
            {
                usage[resource] = request;
                usage["requests." + resource] = request;
            }
            else if (IsExtended(resource))
            {
                usage["requests." + resource] = request;
            }
        }
        return usage;
    }

    /// <summary>QuotaV1Pod: finished pods, and pods past their deletion grace period, no longer hold compute quota.</summary>
    private static bool IsCharged(JsonObject pod, DateTimeOffset now)
    {
        if ((string?)pod["status"]?["phase"] is "Succeeded" or "Failed")
        {
            return false;
        }
        var metadata = pod["metadata"];
        return !(DateTimeOffset.TryParse((string?)metadata?["deletionTimestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var deletion) &&
                 JsonNumber.Long(metadata?["deletionGracePeriodSeconds"]) is { } grace && now > deletion.AddSeconds(grace));
    }

    private static bool IsTerminating(JsonNode? spec) => JsonNumber.Long(spec?["activeDeadlineSeconds"]) is >= 0;

    private static bool UsesCrossNamespaceAffinity(JsonNode? spec)
    {
        var affinity = spec?["affinity"];
        return new[] { affinity?["podAffinity"], affinity?["podAntiAffinity"] }.Any(kind =>
            (kind?["requiredDuringSchedulingIgnoredDuringExecution"] as JsonArray ?? []).OfType<JsonObject>()
                .Concat((kind?["preferredDuringSchedulingIgnoredDuringExecution"] as JsonArray ?? []).OfType<JsonObject>().Select(w => w["podAffinityTerm"] as JsonObject).OfType<JsonObject>())
                .Any(term => term["namespaceSelector"] is not null || term["namespaces"] is JsonArray { Count: > 0 }));
    }

    /// <summary>Extended resources ("example.com/gpu") are quota'd only as requests.&lt;name&gt;.</summary>
    private static bool IsExtendedForQuota(string name) => name.StartsWith("requests.", StringComparison.Ordinal) && !IsNative(name);

    private static bool IsExtended(string name) => !IsNative(name) && !name.StartsWith("requests.", StringComparison.Ordinal);

    private static bool IsNative(string name) => !name.Contains('/', StringComparison.Ordinal) || name.Contains("kubernetes.io/", StringComparison.Ordinal);
}
