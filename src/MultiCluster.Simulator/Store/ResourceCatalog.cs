namespace MultiCluster.Simulator.Store;

/// <summary>The kinds every simulated cluster serves, in discovery order.</summary>
public static class ResourceCatalog
{
    public static readonly ResourceType Namespaces = Core("namespaces", "Namespace", false, ["ns"], ["status"]);
    public static readonly ResourceType Nodes = Core("nodes", "Node", false, ["no"], ["status"]);
    public static readonly ResourceType Pods = Core("pods", "Pod", true, ["po"], ["status", "log"]);
    public static readonly ResourceType Events = Core("events", "Event", true, ["ev"], [], hasStatus: false);
    public static readonly ResourceType Services = Core("services", "Service", true, ["svc"], ["status"]);
    public static readonly ResourceType Endpoints = Core("endpoints", "Endpoints", true, ["ep"], [], hasStatus: false);
    public static readonly ResourceType ConfigMaps = Core("configmaps", "ConfigMap", true, ["cm"], [], hasStatus: false);
    public static readonly ResourceType Secrets = Core("secrets", "Secret", true, [], [], hasStatus: false);
    public static readonly ResourceType ServiceAccounts = Core("serviceaccounts", "ServiceAccount", true, ["sa"], [], hasStatus: false);
    public static readonly ResourceType ResourceQuotas = Core("resourcequotas", "ResourceQuota", true, ["quota"], ["status"]);
    public static readonly ResourceType LimitRanges = Core("limitranges", "LimitRange", true, ["limits"], [], hasStatus: false);
    public static readonly ResourceType PersistentVolumeClaims = Core("persistentvolumeclaims", "PersistentVolumeClaim", true, ["pvc"], ["status"]);
    public static readonly ResourceType Deployments = Apps("deployments", "Deployment", ["deploy"]);
    public static readonly ResourceType StatefulSets = Apps("statefulsets", "StatefulSet", ["sts"]);
    public static readonly ResourceType ReplicaSets = Apps("replicasets", "ReplicaSet", ["rs"]);
    public static readonly ResourceType Roles = Rbac("roles", "Role", true);
    public static readonly ResourceType RoleBindings = Rbac("rolebindings", "RoleBinding", true);
    public static readonly ResourceType ClusterRoles = Rbac("clusterroles", "ClusterRole", false);
    public static readonly ResourceType ClusterRoleBindings = Rbac("clusterrolebindings", "ClusterRoleBinding", false);
    public static readonly ResourceType NetworkPolicies = new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, ["netpol"], [], false);
    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true, [], [], false);
    // Stored only (no controller acts on them), so that what a Helm chart installs beside a workload can be applied.
    public static readonly ResourceType Ingresses = new("networking.k8s.io", "v1", "ingresses", "Ingress", true, ["ing"], ["status"], true);
    public static readonly ResourceType PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, ["pdb"], ["status"], true);

    public static readonly ResourceType SelfSubjectReviews = Review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview", false);
    public static readonly ResourceType LocalSubjectAccessReviews = Review("authorization.k8s.io", "localsubjectaccessreviews", "LocalSubjectAccessReview", true);
    public static readonly ResourceType SelfSubjectAccessReviews = Review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false);
    public static readonly ResourceType SelfSubjectRulesReviews = Review("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false);
    public static readonly ResourceType SubjectAccessReviews = Review("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview", false);

    /// <summary>The stored kinds.</summary>
    public static readonly IReadOnlyList<ResourceType> All =
    [
        Namespaces, Nodes, Pods, Events, Services, Endpoints, ConfigMaps, Secrets, ServiceAccounts,
        ResourceQuotas, LimitRanges, PersistentVolumeClaims, Deployments, StatefulSets, ReplicaSets,
        Roles, RoleBindings, ClusterRoles, ClusterRoleBindings, NetworkPolicies, Leases, Ingresses, PodDisruptionBudgets,
    ];

    /// <summary>The create-only kinds answered from the request alone (authentication and authorization reviews).</summary>
    public static readonly IReadOnlyList<ResourceType> Reviews =
    [
        SelfSubjectReviews, LocalSubjectAccessReviews, SelfSubjectAccessReviews, SelfSubjectRulesReviews, SubjectAccessReviews,
    ];

    /// <summary>Everything discovery lists: the stored kinds and the reviews.</summary>
    public static IEnumerable<ResourceType> Served => All.Concat(Reviews);

    /// <summary>Group versions in the order /apis lists them; the core group ("") is served under /api.</summary>
    public static IEnumerable<string> Groups => Served.Select(t => t.Group).Where(g => g.Length > 0).Distinct();

    public static IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        Served.Where(t => t.Group == group && t.Version == version);

    /// <summary>A stored kind by its plural name.</summary>
    public static ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    public static ResourceType? FindReview(string group, string version, string plural) =>
        Reviews.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    private static ResourceType Core(string plural, string kind, bool namespaced, string[] shortNames, string[] subresources, bool hasStatus = true) =>
        new("", "v1", plural, kind, namespaced, shortNames, subresources, hasStatus);

    private static ResourceType Apps(string plural, string kind, string[] shortNames) =>
        new("apps", "v1", plural, kind, true, shortNames, ["status", "scale"], true);

    private static ResourceType Review(string group, string plural, string kind, bool namespaced) =>
        new(group, "v1", plural, kind, namespaced, [], [], false) { IsReview = true };

    private static ResourceType Rbac(string plural, string kind, bool namespaced) =>
        new("rbac.authorization.k8s.io", "v1", plural, kind, namespaced, [], [], false);
}
