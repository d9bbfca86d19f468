using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Quotas;

/// <summary>
/// "Every matching namespace of every matching cluster gets this ResourceQuota and LimitRange": what a platform team
/// sets once and the engine keeps true, for namespaces that exist and namespaces created later.
/// </summary>
public sealed record QuotaPolicy
{
    /// <summary>A DNS label; the objects are named <c>mc-&lt;name&gt;</c>.</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    public PolicyMode Mode { get; init; } = PolicyMode.Enforce;

    /// <summary>When two policies reach one namespace, the higher priority writes there; equal priorities are refused at save time.</summary>
    public int Priority { get; init; }

    /// <summary>Clusters by their labels (the Overview filter's syntax); with <see cref="Clusters"/> empty, null selects every cluster.</summary>
    public string? ClusterSelector { get; init; }

    /// <summary>Clusters by name, instead of a selector.</summary>
    public IReadOnlyList<string> Clusters { get; init; } = [];

    /// <summary>Namespaces by their labels; null or empty selects by <see cref="NamespacePatterns"/> alone (or every namespace without them).</summary>
    public string? NamespaceSelector { get; init; }

    /// <summary>Namespace names, exact or with <c>*</c> (<c>team-*</c>); a namespace must match one when any are given.</summary>
    public IReadOnlyList<string> NamespacePatterns { get; init; } = [];

    /// <summary>The ResourceQuota's hard limits (<c>requests.cpu</c> → <c>20</c>); empty: no ResourceQuota.</summary>
    public IReadOnlyDictionary<string, string> Hard { get; init; } = new Dictionary<string, string>();

    /// <summary>The ResourceQuota's scopes (<c>NotTerminating</c>, <c>BestEffort</c>, …).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The LimitRange's items; empty: no LimitRange.</summary>
    public IReadOnlyList<LimitRangeItem> Limits { get; init; } = [];

    /// <summary>Grows with every saved change; written into the objects, so a target written from an older one is Pending.</summary>
    public long Generation { get; init; } = 1;

    /// <summary>The name of the objects this policy writes.</summary>
    public string ObjectName => ObjectNameOf(Name);

    public static string ObjectNameOf(string policy) => "mc-" + policy;

    /// <summary>The clusters and namespaces the policy reaches.</summary>
    public TargetScope Scope => new(ClusterSelector, Clusters, NamespaceSelector, NamespacePatterns);

    public string ClustersText => Scope.ClustersText;

    public string NamespacesText => Scope.NamespacesText;

    /// <summary>The owner label's kind for quota policies: <c>multicluster.io/policy</c>.</summary>
    public const string OwnerKind = "policy";
}

/// <summary>One item of a LimitRange: what a Container, a Pod or a PersistentVolumeClaim gets by default and may ask for.</summary>
public sealed record LimitRangeItem
{
    public const string Container = "Container";
    public const string Pod = "Pod";
    public const string PersistentVolumeClaim = "PersistentVolumeClaim";

    public required string Type { get; init; }

    public IReadOnlyDictionary<string, string> Default { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> DefaultRequest { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Min { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Max { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> MaxLimitRequestRatio { get; init; } = new Dictionary<string, string>();

    private static readonly string[] FieldNames = ["default", "defaultRequest", "min", "max", "maxLimitRequestRatio"];

    /// <summary>Each field with its name as Kubernetes spells it, in the order Kubernetes lists them.</summary>
    public IEnumerable<(string Name, IReadOnlyDictionary<string, string> Values)> Fields =>
        FieldNames.Zip([Default, DefaultRequest, Min, Max, MaxLimitRequestRatio]);

    /// <summary>The item of <paramref name="type"/> with the fields named in <paramref name="fields"/> (names as in <see cref="Fields"/>).</summary>
    public static LimitRangeItem Of(string type, IReadOnlyDictionary<string, Dictionary<string, string>> fields)
    {
        IReadOnlyDictionary<string, string> Field(string name) => fields.TryGetValue(name, out var values) ? values : new Dictionary<string, string>();
        var unknown = fields.Keys.Except(FieldNames, StringComparer.Ordinal).FirstOrDefault();
        return unknown is not null
            ? throw new ArgumentException($"'{unknown}' is not a field of a LimitRange item.", nameof(fields))
            : new LimitRangeItem
            {
                Type = type, Default = Field("default"), DefaultRequest = Field("defaultRequest"), Min = Field("min"), Max = Field("max"),
                MaxLimitRequestRatio = Field("maxLimitRequestRatio"),
            };
    }
}
