using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Web.Api;

/// <summary>A quota policy as the API takes it: everything but the name (in the route) and the generation it replaces.</summary>
public sealed record QuotaPolicyBody
{
    public string? Description { get; init; }

    public PolicyMode Mode { get; init; } = PolicyMode.Enforce;

    public int Priority { get; init; }

    public string? ClusterSelector { get; init; }

    public IReadOnlyList<string>? Clusters { get; init; }

    public string? NamespaceSelector { get; init; }

    public IReadOnlyList<string>? NamespacePatterns { get; init; }

    public IReadOnlyDictionary<string, string>? Hard { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public IReadOnlyList<LimitRangeItem>? Limits { get; init; }

    /// <summary>On update, the generation the change was made from; a save over a newer one is refused (409).</summary>
    public long? Generation { get; init; }

    public QuotaPolicy ToPolicy(string name) => new()
    {
        Name = name, Description = Description, Mode = Mode, Priority = Priority, ClusterSelector = ClusterSelector, Clusters = Clusters ?? [],
        NamespaceSelector = NamespaceSelector, NamespacePatterns = NamespacePatterns ?? [], Hard = Hard ?? new Dictionary<string, string>(),
        Scopes = Scopes ?? [], Limits = Limits ?? [],
    };
}

/// <summary>A stored policy with how its targets stand, counted per status.</summary>
public sealed record QuotaPolicyResource(
    string Name, string? Description, PolicyMode Mode, int Priority, long Generation, string? ClusterSelector, IReadOnlyList<string> Clusters,
    string? NamespaceSelector, IReadOnlyList<string> NamespacePatterns, IReadOnlyDictionary<string, string> Hard, IReadOnlyList<string> Scopes,
    IReadOnlyList<LimitRangeItem> Limits, int Targets, IReadOnlyDictionary<TargetStatus, int> Statuses)
{
    public static QuotaPolicyResource From(QuotaPolicy p, IEnumerable<PolicyTarget> targets)
    {
        var mine = targets.Where(t => t.Owner == p.Name).ToList();
        return new(p.Name, p.Description, p.Mode, p.Priority, p.Generation, p.ClusterSelector, p.Clusters, p.NamespaceSelector, p.NamespacePatterns, p.Hard, p.Scopes,
            p.Limits, mine.Count, mine.GroupBy(t => t.Status).ToDictionary(g => g.Key, g => g.Count()));
    }
}

public sealed record QuotaPolicyTargetResource(string Cluster, string Namespace, TargetStatus Status, string? Message, PolicyMode Mode, DateTimeOffset Since,
    IReadOnlyList<QuotaPolicyObjectResource> Objects)
{
    public static QuotaPolicyTargetResource From(PolicyTarget t) => new(t.Cluster, t.Namespace ?? "", t.Status, t.Message, t.Mode, t.Since,
        [.. t.Objects.Select(o => new QuotaPolicyObjectResource(o.Kind, o.Name, o.State.Status, o.State.Message, o.State.Differences))]);
}

public sealed record QuotaPolicyObjectResource(string Kind, string Name, TargetStatus Status, string? Message, IReadOnlyList<FieldDifference> Differences);

/// <summary>What saving would do: targets, object changes by kind, overlaps that would refuse the save, and namespaces over a new limit.</summary>
public sealed record QuotaPreviewResource(
    IReadOnlyList<string> Problems, int Clusters, int Namespaces, int Create, int Update, int Unchanged, int Delete, int Conflict,
    IReadOnlyList<PreviewObject> Objects, IReadOnlyList<QuotaOverlap> Overlaps, IReadOnlyList<QuotaOverlap> Shadowed, IReadOnlyList<UsageOverLimit> OverLimit)
{
    public static QuotaPreviewResource From(IReadOnlyList<string> problems, QuotaPreview p) => new(problems,
        p.Targets.Select(t => t.Cluster).Distinct().Count(), p.Targets.Count,
        p.Count(PreviewChange.Create), p.Count(PreviewChange.Update), p.Count(PreviewChange.Unchanged), p.Count(PreviewChange.Delete), p.Count(PreviewChange.Conflict),
        p.Objects, p.Overlaps, p.Shadowed, p.OverLimit);
}
