using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Kubernetes.Informers;

/// <summary>One list/watch request, whichever kind: the informer fills in paging, watch and bookmark parameters.</summary>
public sealed record ListRequest(string? Continue, int Limit);

/// <summary>A watch from a resourceVersion, with bookmarks; stream errors (such as 410 Expired) go to <see cref="OnError"/>.</summary>
public sealed record WatchRequest(string ResourceVersion, int TimeoutSeconds, Action<Exception> OnError);

/// <summary>
/// A kind the informer can keep: how to list it across all namespaces with KubernetesClient, and how to ask for its
/// watch (the same list with <c>watch=true</c>, whose events <see cref="WatchEvents"/> reads), and
/// how to reduce one object to what the store keeps (null: not kept, e.g. Normal events).
/// </summary>
public sealed record WatchedKind<T, TList>(
    string Name,
    FleetKind Kind,
    Func<IKubernetes, ListRequest, CancellationToken, Task<HttpOperationResponse<TList>>> List,
    Func<IKubernetes, WatchRequest, CancellationToken, Task<HttpOperationResponse<TList>>> Watch,
    Func<FleetProjections, string, T, IFleetObject?> Project)
    where T : IKubernetesObject<V1ObjectMeta>
    where TList : IItems<T>, IMetadata<V1ListMeta>
{
    /// <summary>How its lists and watches are decoded: whole objects, unless the kind says which fields its projection reads.</summary>
    public JsonSerializerOptions Decoding { get; init; } = WatchEvents.Options;
}

/// <summary>The kinds every cluster is watched for from the moment it is registered, and those watched on demand.</summary>
public static class WatchedKinds
{
    /// <summary>The informer name (the plural resource, as in <see cref="KindWatchStatus.Kind"/>) of a kind every cluster is watched for.</summary>
    public static string NameOf(FleetKind kind) => kind switch
    {
        FleetKind.Namespace => Namespaces.Name,
        FleetKind.Node => Nodes.Name,
        FleetKind.Pod => Pods.Name,
        FleetKind.Event => Events.Name,
        FleetKind.ResourceQuota => ResourceQuotas.Name,
        FleetKind.LimitRange => LimitRanges.Name,
        FleetKind.RoleBinding => RoleBindings.Name,
        FleetKind.ClusterRoleBinding => ClusterRoleBindings.Name,
        FleetKind.ClusterRole => ClusterRoles.Name,
        FleetKind.Role => Roles.Name,
        FleetKind.VirtualCluster => VirtualClusterSets.Name,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind every cluster is watched for."),
    };

    /// <summary>Only Warning events are kept; the server filters the rest out (most events are Normal).</summary>
    private const string WarningsOnly = "type=Warning";

    /// <summary>On demand: watched only while a page holds a lease (see <see cref="Fleet.FleetWatcher.Demand"/>).</summary>
    public static readonly WatchedKind<V1Deployment, V1DeploymentList> Deployments = new("deployments", FleetKind.Deployment,
        (client, r, ct) => client.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Deployment(cluster, o));

    public static readonly WatchedKind<V1Namespace, V1NamespaceList> Namespaces = new("namespaces", FleetKind.Namespace,
        (client, r, ct) => client.CoreV1.ListNamespaceWithHttpMessagesAsync(continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.CoreV1.ListNamespaceWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Namespace(cluster, o));

    public static readonly WatchedKind<V1Node, V1NodeList> Nodes = new("nodes", FleetKind.Node,
        (client, r, ct) => client.CoreV1.ListNodeWithHttpMessagesAsync(continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.CoreV1.ListNodeWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Node(cluster, o))
    {
        Decoding = DecodedFields.Only(FleetProjections.NodeFields),
    };

    public static readonly WatchedKind<V1Pod, V1PodList> Pods = new("pods", FleetKind.Pod,
        (client, r, ct) => client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Pod(cluster, o))
    {
        Decoding = PodDecoder.Options,
    };

    public static readonly WatchedKind<Corev1Event, Corev1EventList> Events = new("events", FleetKind.Event,
        (client, r, ct) => client.CoreV1.ListEventForAllNamespacesWithHttpMessagesAsync(fieldSelector: WarningsOnly, continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.CoreV1.ListEventForAllNamespacesWithHttpMessagesAsync(fieldSelector: WarningsOnly, allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Event(cluster, o));

    public static readonly WatchedKind<V1ResourceQuota, V1ResourceQuotaList> ResourceQuotas = new("resourcequotas", FleetKind.ResourceQuota,
        (client, r, ct) => client.CoreV1.ListResourceQuotaForAllNamespacesWithHttpMessagesAsync(continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.CoreV1.ListResourceQuotaForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Quota(cluster, o));

    public static readonly WatchedKind<V1LimitRange, V1LimitRangeList> LimitRanges = new("limitranges", FleetKind.LimitRange,
        (client, r, ct) => client.CoreV1.ListLimitRangeForAllNamespacesWithHttpMessagesAsync(continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.CoreV1.ListLimitRangeForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Observed(FleetKind.LimitRange, cluster, o));

    public static readonly WatchedKind<V1RoleBinding, V1RoleBindingList> RoleBindings = new("rolebindings", FleetKind.RoleBinding,
        (client, r, ct) => client.RbacAuthorizationV1.ListRoleBindingForAllNamespacesWithHttpMessagesAsync(continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.RbacAuthorizationV1.ListRoleBindingForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Observed(FleetKind.RoleBinding, cluster, o));

    public static readonly WatchedKind<V1ClusterRoleBinding, V1ClusterRoleBindingList> ClusterRoleBindings = new("clusterrolebindings", FleetKind.ClusterRoleBinding,
        (client, r, ct) => client.RbacAuthorizationV1.ListClusterRoleBindingWithHttpMessagesAsync(continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.RbacAuthorizationV1.ListClusterRoleBindingWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Observed(FleetKind.ClusterRoleBinding, cluster, o));

    public static readonly WatchedKind<V1ClusterRole, V1ClusterRoleList> ClusterRoles = new("clusterroles", FleetKind.ClusterRole,
        (client, r, ct) => client.RbacAuthorizationV1.ListClusterRoleWithHttpMessagesAsync(continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.RbacAuthorizationV1.ListClusterRoleWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Observed(FleetKind.ClusterRole, cluster, o));

    /// <summary>vClusters, found as the vcluster CLI finds them: StatefulSets (and, below, Deployments) labelled <c>app=vcluster</c>.</summary>
    public static readonly WatchedKind<V1StatefulSet, V1StatefulSetList> VirtualClusterSets = new("statefulsets", FleetKind.VirtualCluster,
        (client, r, ct) => client.AppsV1.ListStatefulSetForAllNamespacesWithHttpMessagesAsync(labelSelector: VirtualClusterNames.Selector, continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.AppsV1.ListStatefulSetForAllNamespacesWithHttpMessagesAsync(labelSelector: VirtualClusterNames.Selector, allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.VirtualCluster(cluster, o));

    /// <summary>vClusters run by a Deployment (the chart's choice without persistence); the same kind in the store as <see cref="VirtualClusterSets"/>.</summary>
    public static readonly WatchedKind<V1Deployment, V1DeploymentList> VirtualClusterDeployments = new("deployments (vcluster)", FleetKind.VirtualCluster,
        (client, r, ct) => client.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(labelSelector: VirtualClusterNames.Selector, continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.AppsV1.ListDeploymentForAllNamespacesWithHttpMessagesAsync(labelSelector: VirtualClusterNames.Selector, allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.VirtualCluster(cluster, o));

    public static readonly WatchedKind<V1Role, V1RoleList> Roles = new("roles", FleetKind.Role,
        (client, r, ct) => client.RbacAuthorizationV1.ListRoleForAllNamespacesWithHttpMessagesAsync(continueParameter: r.Continue, limit: r.Limit, cancellationToken: ct),
        (client, w, ct) => client.RbacAuthorizationV1.ListRoleForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: true, resourceVersion: w.ResourceVersion, timeoutSeconds: w.TimeoutSeconds, watch: true, cancellationToken: ct),
        (p, cluster, o) => p.Observed(FleetKind.Role, cluster, o));
}
