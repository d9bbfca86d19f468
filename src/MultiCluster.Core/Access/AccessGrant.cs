using System.Text.Json.Serialization;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Access;

/// <summary>
/// "Team payments may <c>view</c> in every <c>team-*</c> namespace of every <c>env=prod</c> cluster": reconciled into a
/// RoleBinding (or, cluster-wide, a ClusterRoleBinding) named <c>mc-&lt;team&gt;-&lt;role&gt;</c> in every target.
/// </summary>
public sealed record AccessGrant
{
    public const string OwnerKind = "grant";
    public const string DefaultGroupPrefix = "multicluster:team:";

    /// <summary>Kubernetes' own roles every cluster has; anything else names a role template.</summary>
    public static readonly IReadOnlyList<string> BuiltInRoles = ["view", "edit", "admin", "cluster-admin"];

    /// <summary>A DNS label naming the grant itself (its objects carry it as <c>multicluster.io/grant</c>).</summary>
    public required string Name { get; init; }

    public required string Team { get; init; }

    /// <summary><c>view</c>, <c>edit</c>, <c>admin</c>, <c>cluster-admin</c>, or a role template's name.</summary>
    public required string Role { get; init; }

    public string? ClusterSelector { get; init; }

    public IReadOnlyList<string> Clusters { get; init; } = [];

    public string? NamespaceSelector { get; init; }

    public IReadOnlyList<string> NamespacePatterns { get; init; } = [];

    /// <summary>A ClusterRoleBinding in each target cluster instead of RoleBindings in its namespaces.</summary>
    public bool ClusterWide { get; init; }

    /// <summary>Individual users bound besides the team's group (as <c>multicluster:user:&lt;name&gt;</c>).</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    public PolicyMode Mode { get; init; } = PolicyMode.Enforce;

    public long Generation { get; init; } = 1;

    [JsonIgnore]
    public TargetScope Scope => new(ClusterSelector, Clusters, NamespaceSelector, NamespacePatterns);

    [JsonIgnore]
    public bool IsBuiltInRole => BuiltInRoles.Contains(Role, StringComparer.Ordinal);

    /// <summary>The ClusterRole the bindings refer to: the built-in one, or the template's <c>mc-&lt;template&gt;</c>.</summary>
    [JsonIgnore]
    public string ClusterRoleName => IsBuiltInRole ? Role : RoleTemplate.ObjectNameOf(Role);

    /// <summary>The binding's name: <c>mc-&lt;team&gt;-&lt;role&gt;</c>.</summary>
    [JsonIgnore]
    public string BindingName => $"mc-{Team}-{Role}";
}

/// <summary>One rule of a role template, as in a Kubernetes PolicyRule.</summary>
public sealed record AccessRule
{
    public IReadOnlyList<string> ApiGroups { get; init; } = [""];

    public IReadOnlyList<string> Resources { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = [];

    public IReadOnlyList<string> ResourceNames { get; init; } = [];

    /// <summary>The rule in one canonical line: <c>apiGroups=;resources=pods,pods/log;verbs=get,list;names=</c>.</summary>
    [JsonIgnore]
    public string Canonical =>
        $"apiGroups={string.Join(',', ApiGroups.Order(StringComparer.Ordinal))};resources={string.Join(',', Resources.Order(StringComparer.Ordinal))};"
        + $"verbs={string.Join(',', Verbs.Order(StringComparer.Ordinal))};names={string.Join(',', ResourceNames.Order(StringComparer.Ordinal))}";
}

/// <summary>A role defined in the dashboard, written as ClusterRole <c>mc-&lt;template&gt;</c> into each cluster a grant of it reaches.</summary>
public sealed record RoleTemplate
{
    public const string OwnerKind = "roletemplate";

    public required string Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<AccessRule> Rules { get; init; } = [];

    /// <summary>Labels that aggregate the ClusterRole into others (<c>rbac.authorization.k8s.io/aggregate-to-view: "true"</c>).</summary>
    public IReadOnlyDictionary<string, string> AggregationLabels { get; init; } = new Dictionary<string, string>();

    public long Generation { get; init; } = 1;

    [JsonIgnore]
    public string ObjectName => ObjectNameOf(Name);

    public static string ObjectNameOf(string template) => "mc-" + template;
}
