using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Auth;

/// <summary>
/// The ClusterRoles and ClusterRoleBindings kube-apiserver bootstraps that matter to users (bootstrappolicy/policy.go):
/// cluster-admin for system:masters; system:discovery, system:basic-user and system:public-info-viewer for every
/// authenticated user; admin, edit and view aggregated from the aggregate-to-* labelled roles; and the simulator's
/// read-only user "viewer" (simulator:viewer: get, list and watch on everything).
/// </summary>
public static class BootstrapPolicy
{
    public const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    public const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    public const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";
    public const string ViewerRole = "simulator:viewer";

    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly string[] ReadWrite = [.. Read, .. Write];

    public static void Seed(ClusterStore store)
    {
        foreach (var role in ClusterRoles())
        {
            store.Create(ResourceCatalog.ClusterRoles, "", role);
        }
        foreach (var binding in ClusterRoleBindings())
        {
            store.Create(ResourceCatalog.ClusterRoleBindings, "", binding);
        }
    }

    private static IEnumerable<JsonObject> ClusterRoles()
    {
        yield return Role("cluster-admin", [Rule(["*"], ["*"], ["*"]), Urls(["*"], ["*"])]);
        yield return Role("system:discovery", [Urls(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"])]);
        yield return Role("system:public-info-viewer", [Urls(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/"])]);
        yield return Role("system:basic-user",
        [
            Rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            Rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
        ]);
        yield return Aggregated("admin", AggregateToAdmin);
        yield return Aggregated("edit", AggregateToEdit, AggregateToAdmin);
        yield return Aggregated("view", AggregateToView, AggregateToEdit);
        yield return Role("system:aggregate-to-admin",
        [
            Rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
            Rule(ReadWrite, ["rbac.authorization.k8s.io"], ["roles", "rolebindings"]),
        ], AggregateToAdmin);
        yield return Role("system:aggregate-to-edit",
        [
            Rule(Read, [""], ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"]),
            Rule(["impersonate"], [""], ["serviceaccounts"]),
            Rule(Write, [""], ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
            Rule(["create"], [""], ["pods/eviction"]),
            Rule(Write, [""], ["replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets", "events"]),
            Rule(["create"], [""], ["serviceaccounts/token"]),
            Rule(Write, ["apps"], ["statefulsets", "statefulsets/scale", "daemonsets", "deployments", "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"]),
            Rule(Write, ["autoscaling"], ["horizontalpodautoscalers"]),
            Rule(Write, ["batch"], ["jobs", "cronjobs"]),
            Rule(Write, ["extensions"], ["daemonsets", "deployments", "deployments/scale", "deployments/rollback", "ingresses", "replicasets", "replicasets/scale", "replicationcontrollers/scale", "networkpolicies"]),
            Rule(Write, ["policy"], ["poddisruptionbudgets"]),
            Rule(Write, ["networking.k8s.io"], ["networkpolicies", "ingresses"]),
            Rule(ReadWrite, ["coordination.k8s.io"], ["leases"]),
        ], AggregateToEdit);
        yield return Role("system:aggregate-to-view",
        [
            Rule(Read, [""], ["pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps"]),
            Rule(Read, [""], ["limitranges", "resourcequotas", "bindings", "events", "pods/status", "resourcequotas/status", "namespaces/status", "replicationcontrollers/status", "pods/log"]),
            Rule(Read, [""], ["namespaces"]),
            Rule(Read, ["discovery.k8s.io"], ["endpointslices"]),
            Rule(Read, ["apps"], ["controllerrevisions", "statefulsets", "statefulsets/status", "statefulsets/scale", "daemonsets", "daemonsets/status", "deployments", "deployments/status", "deployments/scale", "replicasets", "replicasets/status", "replicasets/scale"]),
            Rule(Read, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
            Rule(Read, ["batch"], ["jobs", "cronjobs", "cronjobs/status", "jobs/status"]),
            Rule(Read, ["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale", "networkpolicies"]),
            Rule(Read, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
            Rule(Read, ["networking.k8s.io"], ["networkpolicies", "ingresses", "ingresses/status"]),
        ], AggregateToView);
        yield return Role(ViewerRole, [Rule(Read, ["*"], ["*"])], bootstrapped: false);
    }

    private static IEnumerable<JsonObject> ClusterRoleBindings()
    {
        yield return Binding("cluster-admin", ("Group", UserInfo.SystemMasters));
        yield return Binding("system:discovery", ("Group", UserInfo.Authenticated));
        yield return Binding("system:basic-user", ("Group", UserInfo.Authenticated));
        yield return Binding("system:public-info-viewer", ("Group", UserInfo.Authenticated), ("Group", UserInfo.Unauthenticated));
        yield return Binding(ViewerRole, ("User", Authenticator.ViewerName));
    }

    private static JsonObject Role(string name, PolicyRule[] rules, string? aggregateLabel = null, bool bootstrapped = true)
    {
        var role = new JsonObject { ["metadata"] = Metadata(name, aggregateLabel, bootstrapped) };
        role["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)r.ToJson())]);
        return role;
    }

    private static JsonObject Aggregated(string name, string selectorLabel, string? aggregateLabel = null) => new()
    {
        ["metadata"] = Metadata(name, aggregateLabel, bootstrapped: true),
        ["aggregationRule"] = new JsonObject
        {
            ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { [selectorLabel] = "true" } }),
        },
    };

    private static JsonObject Binding(string name, params (string Kind, string Name)[] subjects) => new()
    {
        ["metadata"] = Metadata(name, null, bootstrapped: name != ViewerRole),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = name },
        ["subjects"] = new JsonArray([.. subjects.Select(s => (JsonNode)new JsonObject { ["kind"] = s.Kind, ["apiGroup"] = "rbac.authorization.k8s.io", ["name"] = s.Name })]),
    };

    private static JsonObject Metadata(string name, string? aggregateLabel, bool bootstrapped)
    {
        var labels = new JsonObject();
        if (bootstrapped)
        {
            labels["kubernetes.io/bootstrapping"] = "rbac-defaults";
        }
        if (aggregateLabel is not null)
        {
            labels[aggregateLabel] = "true";
        }
        var metadata = new JsonObject { ["name"] = name, ["labels"] = labels };
        if (bootstrapped)
        {
            metadata["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" };
        }
        return metadata;
    }

    /// <summary>A resource rule with its lists sorted, as bootstrap policy's rule builder leaves them.</summary>
    private static PolicyRule Rule(string[] verbs, string[] groups, string[] resources) =>
        new([.. verbs.Order(StringComparer.Ordinal)], groups, [.. resources.Order(StringComparer.Ordinal)], [], []);

    private static PolicyRule Urls(string[] verbs, string[] urls) => new(verbs, [], [], [], [.. urls.Order(StringComparer.Ordinal)]);
}
