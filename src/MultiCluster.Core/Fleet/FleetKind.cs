namespace MultiCluster.Core.Fleet;

/// <summary>The kinds of object the fleet state store keeps a slim summary of, plus the clusters themselves.</summary>
public enum FleetKind
{
    Cluster,
    Node,
    Pod,
    Namespace,
    Event,
    ResourceQuota,
    LimitRange,
    RoleBinding,
    ClusterRoleBinding,
    ClusterRole,

    /// <summary>Roles are not written by the engine; they are watched for "who can do what".</summary>
    Role,

    /// <summary>Watched on demand, while a page needs them.</summary>
    Deployment,

    /// <summary>
    /// Not a Kubernetes kind: what the triage rules found broken, one row per group of problems
    /// (<see cref="Triage.ProblemGroup"/>), kept here so pages and the hub follow it like any other state.
    /// </summary>
    Problem,

    /// <summary>
    /// Not a Kubernetes kind: how one target of the reconciler engine stands (a quota policy in one namespace, …),
    /// <see cref="Reconcile.PolicyTarget"/>, kept here so pages and the hub follow it like any other state.
    /// </summary>
    PolicyTarget,

    /// <summary>
    /// A vCluster on its host: the StatefulSet or Deployment labelled <c>app=vcluster</c> that runs it, as the vcluster CLI
    /// finds them (<see cref="VirtualClusterSummary"/>).
    /// </summary>
    VirtualCluster,
}

/// <summary>A summary kept in the fleet state store: which cluster it belongs to and its key there.</summary>
public interface IFleetObject
{
    FleetKind Kind { get; }

    string Cluster { get; }

    /// <summary>Unique within the cluster and kind: <c>namespace/name</c> for namespaced kinds, <c>name</c> otherwise.</summary>
    string Key { get; }
}

public static class FleetKeys
{
    public static string Of(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    /// <summary>The namespace ("" for a cluster-scoped object) and name a key was made of.</summary>
    public static (string Namespace, string Name) Split(string key) =>
        key.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? (key[..slash], key[(slash + 1)..]) : ("", key);
}
