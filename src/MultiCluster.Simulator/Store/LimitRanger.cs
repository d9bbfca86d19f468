using System.Globalization;
using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// The LimitRanger admission plugin (plugin/pkg/admission/limitranger): container defaults on pod creation,
/// then min, max and maxLimitRequestRatio per Container and per Pod, and min/max storage per
/// PersistentVolumeClaim, refused in its words ("maximum cpu usage per Container is 2, but limit is 4").
/// </summary>
public static class LimitRanger
{
    public const string Annotation = "kubernetes.io/limit-ranger";

    /// <summary>Fills in each container's missing limits (default) and requests (defaultRequest), and says so in the kubernetes.io/limit-ranger annotation.</summary>
    public static void ApplyDefaults(JsonObject pod, IEnumerable<JsonObject> limitRanges)
    {
        foreach (var limitRange in limitRanges)
        {
            var defaultLimits = ResourceList.Empty();
            var defaultRequests = ResourceList.Empty();
            foreach (var item in Items(limitRange).Where(i => (string?)i["type"] == "Container"))
            {
                foreach (var (name, quantity) in ResourceList.Read(item["defaultRequest"]))
                {
                    defaultRequests[name] = quantity;
                }
                foreach (var (name, quantity) in ResourceList.Read(item["default"]))
                {
                    defaultLimits[name] = quantity;
                }
            }
            var notes = new List<string>();
            var spec = pod["spec"];
            foreach (var (container, kind) in PodResources.Containers(spec).Select(c => (c, "container")).Concat(PodResources.InitContainers(spec).Select(c => (c, "init container"))))
            {
                var resources = container["resources"] as JsonObject ?? [];
                container["resources"] = resources;
                var setRequests = Fill(resources, "requests", defaultRequests);
                var setLimits = Fill(resources, "limits", defaultLimits);
                if (setRequests.Count > 0)
                {
                    notes.Add($"{string.Join(", ", setRequests)} request for {kind} {container["name"]}");
                }
                if (setLimits.Count > 0)
                {
                    notes.Add($"{string.Join(", ", setLimits)} limit for {kind} {container["name"]}");
                }
            }
            if (notes.Count > 0)
            {
                var metadata = pod["metadata"]!.AsObject();
                var annotations = metadata["annotations"] as JsonObject ?? [];
                metadata["annotations"] = annotations;
                annotations[Annotation] = "LimitRanger plugin set: " + string.Join("; ", notes);
            }
        }
    }

    /// <summary>Why the object breaks one of the LimitRanges (the first one broken, all its violations), or null when it fits.</summary>
    public static string? Violations(ResourceType type, JsonObject obj, IEnumerable<JsonObject> limitRanges)
    {
        foreach (var limitRange in limitRanges)
        {
            var errors = new List<string>();
            foreach (var item in Items(limitRange))
            {
                var itemType = (string?)item["type"] ?? "";
                if (type == ResourceCatalog.Pods && itemType == "Container")
                {
                    var spec = obj["spec"];
                    foreach (var container in PodResources.Containers(spec).Concat(PodResources.InitContainers(spec)))
                    {
                        Check(errors, item, itemType, ResourceList.Read(container["resources"]?["requests"]), ResourceList.Read(container["resources"]?["limits"]));
                    }
                }
                else if (type == ResourceCatalog.Pods && itemType == "Pod")
                {
                    Check(errors, item, itemType, PodResources.Requests(obj), PodResources.Limits(obj));
                }
                else if (type == ResourceCatalog.PersistentVolumeClaims && itemType == "PersistentVolumeClaim")
                {
                    var requests = ResourceList.Read(obj["spec"]?["resources"]?["requests"]);
                    foreach (var (name, min) in ResourceList.Ordered(ResourceList.Read(item["min"])))
                    {
                        errors.AddRange(Min(itemType, name, min, requests, ResourceList.Empty()));
                    }
                    foreach (var (name, max) in ResourceList.Ordered(ResourceList.Read(item["max"])))
                    {
                        // A claim's limits are not user input: the maximum applies to what it requests.
                        errors.AddRange(!requests.TryGetValue(name, out var request) ? [$"maximum {name} usage per {itemType} is {max}.  No request is specified"]
                            : request.MilliValue > max.MilliValue ? [$"maximum {name} usage per {itemType} is {max}, but request is {request}"] : []);
                    }
                }
            }
            var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count > 0)
            {
                // utilerrors.NewAggregate: one error as itself, several as "[a, b]".
                return distinct.Count == 1 ? distinct[0] : $"[{string.Join(", ", distinct)}]";
            }
        }
        return null;
    }

    /// <summary>
    /// SetDefaults_LimitRangeItem, applied when a LimitRange is stored: a Container item's default limit falls back
    /// to its max, its default request to the default limit, then to its min.
    /// </summary>
    public static void DefaultItems(JsonObject limitRange)
    {
        foreach (var item in Items(limitRange).Where(i => (string?)i["type"] == "Container"))
        {
            var defaults = item["default"] as JsonObject ?? [];
            var defaultRequests = item["defaultRequest"] as JsonObject ?? [];
            item["default"] = defaults;
            item["defaultRequest"] = defaultRequests;
            foreach (var (target, source) in new[] { (defaults, item["max"]), (defaultRequests, defaults), (defaultRequests, item["min"]) })
            {
                foreach (var (name, value) in source as JsonObject ?? [])
                {
                    target[name] ??= value?.DeepClone();
                }
            }
        }
    }

    private static IEnumerable<JsonObject> Items(JsonObject limitRange) => (limitRange["spec"]?["limits"] as JsonArray ?? []).OfType<JsonObject>();

    private static List<string> Fill(JsonObject resources, string field, Dictionary<string, Quantity> defaults)
    {
        var set = new List<string>();
        var list = resources[field] as JsonObject ?? [];
        foreach (var (name, quantity) in ResourceList.Ordered(defaults))
        {
            if (!list.ContainsKey(name))
            {
                list[name] = quantity.ToString();
                set.Add(name);
            }
        }
        if (list.Count > 0)
        {
            resources[field] = list;
        }
        return set;
    }

    private static void Check(List<string> errors, JsonObject item, string itemType, Dictionary<string, Quantity> requests, Dictionary<string, Quantity> limits)
    {
        foreach (var (name, min) in ResourceList.Ordered(ResourceList.Read(item["min"])))
        {
            errors.AddRange(Min(itemType, name, min, requests, limits));
        }
        foreach (var (name, max) in ResourceList.Ordered(ResourceList.Read(item["max"])))
        {
            var hasRequest = requests.TryGetValue(name, out var request);
            if (!limits.TryGetValue(name, out var limit))
            {
                errors.Add($"maximum {name} usage per {itemType} is {max}.  No limit is specified");
            }
            else if (limit.MilliValue > max.MilliValue)
            {
                errors.Add($"maximum {name} usage per {itemType} is {max}, but limit is {limit}");
            }
            else if (hasRequest && request.MilliValue > max.MilliValue)
            {
                errors.Add($"maximum {name} usage per {itemType} is {max}, but request is {request}");
            }
        }
        foreach (var (name, ratio) in ResourceList.Ordered(ResourceList.Read(item["maxLimitRequestRatio"])))
        {
            var hasRequest = requests.TryGetValue(name, out var request);
            var hasLimit = limits.TryGetValue(name, out var limit);
            if (!hasRequest || request.MilliValue == 0)
            {
                errors.Add($"{name} max limit to request ratio per {itemType} is {ratio}, but no request is specified or request is 0");
            }
            else if (!hasLimit || limit.MilliValue == 0)
            {
                errors.Add($"{name} max limit to request ratio per {itemType} is {ratio}, but no limit is specified or limit is 0");
            }
            else if ((double)limit.MilliValue / request.MilliValue * 1000 > ratio.MilliValue)
            {
                // Go's %f: six decimals.
                var observed = ((double)limit.MilliValue / request.MilliValue).ToString("F6", CultureInfo.InvariantCulture);
                errors.Add($"{name} max limit to request ratio per {itemType} is {ratio}, but provided ratio is {observed}");
            }
        }
    }

    private static IEnumerable<string> Min(string itemType, string name, Quantity min, Dictionary<string, Quantity> requests, Dictionary<string, Quantity> limits)
    {
        if (!requests.TryGetValue(name, out var request))
        {
            return [$"minimum {name} usage per {itemType} is {min}.  No request is specified"];
        }
        if (request.MilliValue < min.MilliValue)
        {
            return [$"minimum {name} usage per {itemType} is {min}, but request is {request}"];
        }
        return limits.TryGetValue(name, out var limit) && limit.MilliValue < min.MilliValue
            ? [$"minimum {name} usage per {itemType} is {min}, but limit is {limit}"] : [];
    }
}
