using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// What an object counts against a ResourceQuota, after kube's quota evaluators (pkg/quota/v1/evaluator/core and
/// apiserver's generic object count): pods (compute resources, scopes, the cpu/memory "must specify" rule),
/// services (node ports, load balancers), PersistentVolumeClaims (storage, per storage class) and
/// count/&lt;resource&gt;[.&lt;group&gt;] for every namespaced kind the cluster serves.
/// </summary>
public class QuotaEvaluator
{
    private static readonly Dictionary<ResourceType, QuotaEvaluator> ByType =
        ResourceCatalog.All.Where(t => t.Namespaced).ToDictionary(t => t, Create);

    private static readonly Dictionary<ResourceType, string> LegacyAliases = new()
    {
        [ResourceCatalog.ConfigMaps] = "configmaps",
        [ResourceCatalog.Secrets] = "secrets",
        [ResourceCatalog.ResourceQuotas] = "resourcequotas",
    };

    protected QuotaEvaluator(ResourceType type)
    {
        Type = type;
        CountName = "count/" + type.QualifiedName;
    }

    public ResourceType Type { get; }

    /// <summary>count/configmaps, count/deployments.apps: the object count every kind has.</summary>
    public string CountName { get; }

    public static IEnumerable<QuotaEvaluator> All => ByType.Values;

    public static QuotaEvaluator? For(ResourceType type) => ByType.GetValueOrDefault(type);

    /// <summary>Whether usage is the object count alone, so the quota controller need not read the objects.</summary>
    public virtual bool CountsOnly => true;

    /// <summary>Whether updates are charged too (a service changing type, a claim growing); object counts are charged on create only.</summary>
    public virtual bool ChargesUpdates => false;

    /// <summary>The quota resource names among <paramref name="names"/> this evaluator measures.</summary>
    public virtual IEnumerable<string> MatchingResources(IEnumerable<string> names) =>
        names.Where(n => n == CountName || (LegacyAliases.TryGetValue(Type, out var alias) && n == alias));

    public virtual Dictionary<string, Quantity> Usage(JsonObject obj, DateTimeOffset now)
    {
        var usage = ResourceList.Empty();
        usage[CountName] = new Quantity(1, QuantityFormat.DecimalSI);
        if (LegacyAliases.TryGetValue(Type, out var alias))
        {
            usage[alias] = new Quantity(1, QuantityFormat.DecimalSI);
        }
        return usage;
    }

    /// <summary>Null when the object satisfies the quota's required resources, else why not ("must specify ...").</summary>
    public virtual string? Constraints(IReadOnlyCollection<string> required, JsonObject obj) => null;

    /// <summary>Only pods have scopes; any scope keeps other kinds out of a quota (generic.MatchesNoScopeFunc).</summary>
    public virtual bool MatchesScope(string scope, string? op, IReadOnlyList<string> values, JsonObject obj) => false;

    /// <summary>
    /// Whether the quota counts the object: it must track at least one resource this evaluator measures
    /// (in status.hard, which the quota controller fills in) and match every scope.
    /// </summary>
    public bool Matches(JsonObject quota, IEnumerable<string> hard, JsonObject obj) =>
        MatchingResources(hard).Any() && Scopes(quota).All(s => MatchesScope(s.Scope, s.Operator, s.Values, obj));

    /// <summary>spec.scopes (as Exists) and spec.scopeSelector.matchExpressions, as getScopeSelectorsFromQuota reads them.</summary>
    public static IEnumerable<(string Scope, string? Operator, IReadOnlyList<string> Values)> Scopes(JsonObject quota)
    {
        foreach (var scope in (quota["spec"]?["scopes"] as JsonArray ?? []).Select(s => (string?)s).OfType<string>())
        {
            yield return (scope, "Exists", []);
        }
        foreach (var expression in (quota["spec"]?["scopeSelector"]?["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            yield return ((string?)expression["scopeName"] ?? "", (string?)expression["operator"],
                [.. (expression["values"] as JsonArray ?? []).Select(v => (string?)v).OfType<string>()]);
        }
    }

    protected static Quantity Count(long n) => new(n, QuantityFormat.DecimalSI);

    private static QuotaEvaluator Create(ResourceType type) =>
        type == ResourceCatalog.Pods ? new PodQuotaEvaluator()
        : type == ResourceCatalog.Services ? new ServiceQuotaEvaluator()
        : type == ResourceCatalog.PersistentVolumeClaims ? new ClaimQuotaEvaluator()
        : new QuotaEvaluator(type);
}

/// <summary>Services: services, count/services, services.loadbalancers and services.nodeports (one per port of a NodePort or LoadBalancer service).</summary>
internal sealed class ServiceQuotaEvaluator() : QuotaEvaluator(ResourceCatalog.Services)
{
    private static readonly string[] Resources = ["count/services", "services", "services.loadbalancers", "services.nodeports"];

    public override bool ChargesUpdates => true;

    public override bool CountsOnly => false;

    public override IEnumerable<string> MatchingResources(IEnumerable<string> names) => names.Where(Resources.Contains);

    public override Dictionary<string, Quantity> Usage(JsonObject obj, DateTimeOffset now)
    {
        var ports = obj["spec"]?["ports"] as JsonArray ?? [];
        var type = (string?)obj["spec"]?["type"];
        var nodePorts = type switch
        {
            "NodePort" => ports.Count,
            // With node ports switched off, only ports that name one explicitly count.
            "LoadBalancer" when obj["spec"]?["allocateLoadBalancerNodePorts"] is JsonValue v && v.TryGetValue<bool>(out var allocate) && !allocate =>
                ports.OfType<JsonObject>().Count(p => JsonNumber.Long(p["nodePort"]) is > 0),
            "LoadBalancer" => ports.Count,
            _ => 0,
        };
        var usage = ResourceList.Empty();
        usage["count/services"] = Count(1);
        usage["services"] = Count(1);
        usage["services.loadbalancers"] = Count(type == "LoadBalancer" ? 1 : 0);
        usage["services.nodeports"] = Count(nodePorts);
        return usage;
    }
}

/// <summary>PersistentVolumeClaims: persistentvolumeclaims, requests.storage, and both per storage class (&lt;class&gt;.storageclass.storage.k8s.io/&lt;resource&gt;).</summary>
internal sealed class ClaimQuotaEvaluator() : QuotaEvaluator(ResourceCatalog.PersistentVolumeClaims)
{
    private const string ByClass = ".storageclass.storage.k8s.io/";
    private static readonly string[] Resources = ["persistentvolumeclaims", "count/persistentvolumeclaims", "requests.storage"];

    public override bool ChargesUpdates => true;

    public override bool CountsOnly => false;

    public override IEnumerable<string> MatchingResources(IEnumerable<string> names) =>
        names.Where(n => Resources.Contains(n) || Resources.Any(r => n.EndsWith(ByClass + r, StringComparison.Ordinal)));

    public override Dictionary<string, Quantity> Usage(JsonObject obj, DateTimeOffset now)
    {
        var usage = ResourceList.Empty();
        usage["persistentvolumeclaims"] = Count(1);
        usage["count/persistentvolumeclaims"] = Count(1);
        var storageClass = (string?)obj["spec"]?["storageClassName"] ?? (string?)obj["metadata"]?["annotations"]?["volume.beta.kubernetes.io/storage-class"] ?? "";
        if (storageClass.Length > 0)
        {
            usage[storageClass + ByClass + "persistentvolumeclaims"] = Count(1);
        }
        var requested = Quantity.From(obj["spec"]?["resources"]?["requests"]?["storage"]);
        // A claim being resized is charged the larger of what it asks for and what it was given.
        if (Quantity.From(obj["status"]?["allocatedResources"]?["storage"]) is { } allocated && (requested is null || allocated > requested.Value))
        {
            requested = allocated;
        }
        if (requested is { } storage)
        {
            usage["requests.storage"] = storage;
            if (storageClass.Length > 0)
            {
                usage[storageClass + ByClass + "requests.storage"] = storage;
            }
        }
        return usage;
    }
}
