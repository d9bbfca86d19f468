using MultiCluster.Core.Fleet;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>One object added or changed (<see cref="Object"/> set) or deleted (<see cref="Object"/> null).</summary>
public sealed record FleetChange(FleetKind Kind, string Cluster, string Key, IFleetObject? Object)
{
    public bool IsDelete => Object is null;

    public static FleetChange Upsert(IFleetObject item) => new(item.Kind, item.Cluster, item.Key, item);

    public static FleetChange Delete(FleetKind kind, string cluster, string key) => new(kind, cluster, key, null);
}

/// <summary>
/// What a subscriber receives: a snapshot (replace everything you hold for the subscribed kinds with these)
/// or a batch of changes to apply in order.
/// </summary>
public sealed record FleetBatch(bool IsSnapshot, IReadOnlyList<FleetChange> Changes);

/// <summary>Which kinds, and of which clusters, a subscriber follows.</summary>
public sealed record FleetFilter(IReadOnlySet<FleetKind> Kinds, Func<string, bool>? Clusters = null)
{
    public static FleetFilter For(params FleetKind[] kinds) => new(kinds.ToHashSet());

    public bool Matches(FleetKind kind, string cluster) => Kinds.Contains(kind) && (Clusters is null || Clusters(cluster));
}
