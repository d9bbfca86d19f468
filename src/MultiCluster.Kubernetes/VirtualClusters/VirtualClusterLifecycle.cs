using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Kubernetes.Kubeconfigs;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Kubernetes.VirtualClusters;

/// <summary>A vCluster operation the host refused or could not finish, in plain words.</summary>
public sealed class VirtualClusterException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Where a vCluster's API is reached from the dashboard and how to sign in to it (from its <c>vc-&lt;name&gt;</c> Secret).</summary>
public sealed record VirtualClusterConnection(Uri Server, ClusterCredentials Credentials)
{
    public override string ToString() => $"VirtualClusterConnection {{ Server = {Server} }}";
}

/// <summary>
/// Creates, pauses, resumes and deletes vClusters on a host, with the client it is given (the person's, impersonated, so
/// the host's RBAC decides), exactly as the vcluster CLI does, so either side can take over from the other.
/// </summary>
public static class VirtualClusterLifecycle
{
    /// <summary>
    /// Creates every host object of <paramref name="spec"/> in order, reporting each; when one is refused, deletes what was
    /// created (newest first) and throws with the host's words, so nothing half-made stays.
    /// </summary>
    public static async Task CreateAsync(IKubernetes client, VirtualClusterSpec spec, bool createNamespace, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var created = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var item in VirtualClusterManifests.For(spec, createNamespace))
        {
            try
            {
                await CreateAsync(client, item, cancellationToken);
                created.Add(item);
                progress?.Report($"Created {item.Kind} {item.Metadata.Name}");
            }
            catch (Exception ex)
            {
                var words = ex is HttpOperationException http ? KubernetesStatus.MessageOf(http) : ex is OperationCanceledException ? "stopped." : ex.Message;
                progress?.Report($"The host refused {item.Kind} {item.Metadata.Name}: {words} Removing what was created…");
                // The object in flight too when no answer came (a timeout, a stop): it may have been made. Never one the host
                // refused: that may be someone else's object of the same name.
                var left = await RollbackAsync(client, ex is HttpOperationException ? created : [.. created, item], spec.Name, spec.EffectiveNamespace);
                var after = left.Count == 0 ? "Nothing was left behind." : $"These could not be removed and are left on the host: {string.Join(", ", left)}.";
                throw new VirtualClusterException($"Creating vCluster {spec.Name} stopped at {item.Kind} {item.Metadata.Name}: {words} {after}", ex);
            }
        }
    }

    /// <summary>Deletes objects made by <see cref="CreateAsync"/> (newest first) and pods synced out of the vCluster meanwhile; best effort.</summary>
    /// <returns>What could not be removed (refused or unreachable), as "Kind name"; empty when everything went.</returns>
    public static async Task<IReadOnlyList<string>> RollbackAsync(IKubernetes client, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> created, string name, string ns)
    {
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var left = new List<string>();
        foreach (var item in created.Reverse())
        {
            if (!await DeleteQuietlyAsync(() => DeleteAsync(client, item.Kind, item.Metadata.Name, item.Metadata.NamespaceProperty, quiet.Token)))
            {
                left.Add($"{item.Kind} {item.Metadata.Name}");
            }
        }
        if (!created.Any(c => c.Kind == "Namespace"))
        {
            await DeleteQuietlyAsync(() => client.CoreV1.DeleteCollectionNamespacedPodAsync(ns, labelSelector: $"{VirtualClusterNames.ManagedByLabel}={name}", cancellationToken: quiet.Token));
            await DeleteQuietlyAsync(() => client.CoreV1.DeleteNamespacedSecretAsync(VirtualClusterNames.KubeconfigSecret(name), ns, cancellationToken: quiet.Token));
        }
        return left;
    }

    /// <summary>
    /// How the dashboard reaches the vCluster: the server of <see cref="VirtualClusterEndpoint"/> and the credentials of its
    /// <c>vc-&lt;name&gt;</c> Secret. Null while the vCluster has not written the Secret yet.
    /// </summary>
    /// <param name="useExportedServer">
    /// Whether the server the Secret's kubeconfig names may be used: whoever may write Secrets in the namespace could point
    /// it anywhere, so only for people who may register any cluster.
    /// </param>
    public static async Task<VirtualClusterConnection?> ReadConnectionAsync(IKubernetes client, string name, string ns, bool insideHost, bool useExportedServer, CancellationToken cancellationToken)
    {
        var secret = await GetOrNullAsync(() => client.CoreV1.ReadNamespacedSecretAsync(VirtualClusterNames.KubeconfigSecret(name), ns, cancellationToken: cancellationToken));
        if (secret?.Data is not { } data)
        {
            return null;
        }
        var credentials = CredentialsOf(data);
        var exported = useExportedServer ? ExportedServer(data) : null;
        var service = await GetOrNullAsync(() => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken));
        var ingress = service?.Status?.LoadBalancer?.Ingress?.FirstOrDefault();
        (string, int?)? loadBalancer = ingress is null ? null : (ingress.Ip ?? ingress.Hostname ?? "", ingress.Ports?.FirstOrDefault()?.Port ?? service!.Spec?.Ports?.FirstOrDefault()?.Port);
        (string, int)? nodePort = null;
        if (service?.Spec?.Type == "NodePort" && service.Spec.Ports?.FirstOrDefault()?.NodePort is int port)
        {
            var nodes = await GetOrNullAsync(() => client.CoreV1.ListNodeAsync(limit: 1, cancellationToken: cancellationToken));
            var address = nodes?.Items.FirstOrDefault()?.Status?.Addresses?.OrderBy(a => a.Type == "ExternalIP" ? 0 : 1).FirstOrDefault()?.Address;
            nodePort = address is null ? null : (address, port);
        }
        var (server, problem) = VirtualClusterEndpoint.Choose(name, ns, new VirtualClusterExposure(exported, loadBalancer, nodePort, insideHost));
        return server is null ? throw new VirtualClusterException(problem!) : new VirtualClusterConnection(server, credentials);
    }

    /// <summary>A kubeconfig for the vCluster with one context named as <c>vcluster connect</c> names it, and the rewritten server.</summary>
    public static string Kubeconfig(VirtualClusterConnection connection, string name, string ns, string host)
    {
        var context = VirtualClusterNames.Context(name, ns, host);
        var credentials = connection.Credentials;
        var user = new StringBuilder();
        if (credentials.HasClientCertificate)
        {
            user.Append($"    client-certificate-data: {Base64(credentials.ClientCertificatePem!)}\n    client-key-data: {Base64(credentials.ClientKeyPem!)}\n");
        }
        else if (credentials.Token is { } token)
        {
            user.Append($"    token: {Base64Free(token)}\n");
        }
        var ca = credentials.CertificateAuthorityPem is { } pem ? $"    certificate-authority-data: {Base64(pem)}\n" : "";
        return $"apiVersion: v1\nkind: Config\nclusters:\n- name: {context}\n  cluster:\n    server: {connection.Server.AbsoluteUri.TrimEnd('/')}\n{ca}" +
            $"contexts:\n- name: {context}\n  context:\n    cluster: {context}\n    user: {context}\ncurrent-context: {context}\n" +
            $"users:\n- name: {context}\n  user:\n{user}";
    }

    /// <summary>Pauses as <c>vcluster pause</c>: replicas to 0 with the paused annotations, then the vCluster's pods on the host are deleted.</summary>
    public static async Task PauseAsync(IKubernetes client, VirtualClusterSummary vcluster, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var patch = WorkloadPatch(0, new JsonObject
        {
            [VirtualClusterNames.PausedAnnotation] = "true",
            [VirtualClusterNames.PausedReplicasAnnotation] = Math.Max(vcluster.Replicas, 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            [VirtualClusterNames.PausedDateAnnotation] = VirtualClusterNames.FormatPausedDate(now),
        });
        await PatchWorkloadAsync(client, vcluster, patch, cancellationToken);
        await client.CoreV1.DeleteCollectionNamespacedPodAsync(vcluster.Namespace, labelSelector: $"{VirtualClusterNames.ManagedByLabel}={vcluster.Name}", cancellationToken: cancellationToken);
    }

    /// <summary>Resumes as <c>vcluster resume</c>: the replicas it had back, the paused annotations removed.</summary>
    public static Task ResumeAsync(IKubernetes client, VirtualClusterSummary vcluster, CancellationToken cancellationToken)
    {
        var patch = WorkloadPatch(Math.Max(vcluster.PausedReplicas ?? 1, 1), new JsonObject
        {
            [VirtualClusterNames.PausedAnnotation] = null,
            [VirtualClusterNames.PausedReplicasAnnotation] = null,
            [VirtualClusterNames.PausedDateAnnotation] = null,
        });
        return PatchWorkloadAsync(client, vcluster, patch, cancellationToken);
    }

    /// <summary>
    /// What deleting the vCluster removes, as "Kind name" lines for the confirmation: the objects labelled
    /// <c>release=&lt;name&gt;</c>, its kubeconfig Secret, its data volume claim, its pods on the host, and the namespace when
    /// the vCluster's creation made it and no other vCluster lives there.
    /// </summary>
    public static async Task<DeletionPlan> PlanDeletionAsync(IKubernetes client, string name, string ns, CancellationToken cancellationToken)
    {
        // The chart's objects carry app=vcluster and release=<name>; release alone would also take another Helm release of that name.
        var release = $"{VirtualClusterNames.Selector},{VirtualClusterNames.ReleaseLabel}={name}";
        var items = new List<(string Kind, string Name)>();
        async Task Add<T>(string kind, Func<Task<T>> list, Func<T, IEnumerable<string>> names) where T : class
        {
            if (await GetOrNullAsync(list) is { } found)
            {
                items.AddRange(names(found).Select(n => (kind, n)).Where(i => !items.Contains(i)));
            }
        }
        await Add("StatefulSet", () => client.AppsV1.ListNamespacedStatefulSetAsync(ns, labelSelector: release, cancellationToken: cancellationToken), l => l.Items.Select(i => i.Metadata.Name));
        await Add("Deployment", () => client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: release, cancellationToken: cancellationToken), l => l.Items.Select(i => i.Metadata.Name));
        await Add("Service", () => client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: release, cancellationToken: cancellationToken), l => l.Items.Select(i => i.Metadata.Name));
        await Add("ConfigMap", () => client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: release, cancellationToken: cancellationToken), l => l.Items.Select(i => i.Metadata.Name));
        // Objects the chart names after the vCluster whatever their labels (the CLI's are not always labelled).
        await Add("Service", () => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken), o => [o.Metadata.Name]);
        await Add("Service", () => client.CoreV1.ReadNamespacedServiceAsync(VirtualClusterNames.HeadlessService(name), ns, cancellationToken: cancellationToken), o => [o.Metadata.Name]);
        await Add("ServiceAccount", () => client.CoreV1.ReadNamespacedServiceAccountAsync(VirtualClusterNames.ServiceAccount(name), ns, cancellationToken: cancellationToken), o => [o.Metadata.Name]);
        await Add("Role", () => client.RbacAuthorizationV1.ReadNamespacedRoleAsync(VirtualClusterNames.ServiceAccount(name), ns, cancellationToken: cancellationToken), o => [o.Metadata.Name]);
        await Add("RoleBinding", () => client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(VirtualClusterNames.ServiceAccount(name), ns, cancellationToken: cancellationToken), o => [o.Metadata.Name]);
        await Add("Secret", () => client.CoreV1.ReadNamespacedSecretAsync(VirtualClusterNames.ConfigSecret(name), ns, cancellationToken: cancellationToken), o => [o.Metadata.Name]);
        await Add("Secret", () => client.CoreV1.ReadNamespacedSecretAsync(VirtualClusterNames.KubeconfigSecret(name), ns, cancellationToken: cancellationToken), o => [o.Metadata.Name]);
        await Add("NetworkPolicy", () => client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(VirtualClusterNames.WorkloadNetworkPolicy(name), ns, cancellationToken: cancellationToken), o => [o.Metadata.Name]);
        await Add("NetworkPolicy", () => client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(VirtualClusterNames.ControlPlaneNetworkPolicy(name), ns, cancellationToken: cancellationToken), o => [o.Metadata.Name]);
        // A quota or limit range of that name goes too, unless the dashboard keeps it (the engine removes its own).
        await Add("ResourceQuota", () => client.CoreV1.ReadNamespacedResourceQuotaAsync(VirtualClusterNames.Isolation(name), ns, cancellationToken: cancellationToken),
            o => ManagedLabels.OwnerOf(o.Metadata.Labels?.AsReadOnly() ?? Empty, VirtualClusterIsolationPlanner.OwnerKind) is null ? [o.Metadata.Name] : []);
        await Add("LimitRange", () => client.CoreV1.ReadNamespacedLimitRangeAsync(VirtualClusterNames.Isolation(name), ns, cancellationToken: cancellationToken),
            o => ManagedLabels.OwnerOf(o.Metadata.Labels?.AsReadOnly() ?? Empty, VirtualClusterIsolationPlanner.OwnerKind) is null ? [o.Metadata.Name] : []);
        await Add("PersistentVolumeClaim", () => client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(VirtualClusterNames.DataVolumeClaim(name), ns, cancellationToken: cancellationToken), o => [o.Metadata.Name]);
        await Add("Pod", () => client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{VirtualClusterNames.ManagedByLabel}={name}", cancellationToken: cancellationToken), l => l.Items.Select(i => i.Metadata.Name));
        var deleteNamespace = false;
        if (await GetOrNullAsync(() => client.CoreV1.ReadNamespaceAsync(ns, cancellationToken: cancellationToken)) is { } namespaceObject &&
            namespaceObject.Metadata.Annotations is { } nsAnnotations && nsAnnotations.TryGetValue(VirtualClusterNames.CreatedAnnotation, out var made) && made == "true")
        {
            var others = (await client.AppsV1.ListNamespacedStatefulSetAsync(ns, labelSelector: VirtualClusterNames.Selector, cancellationToken: cancellationToken)).Items.Select(i => i.Metadata.Name)
                .Concat((await client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: VirtualClusterNames.Selector, cancellationToken: cancellationToken)).Items.Select(i => i.Metadata.Name))
                .Where(n => n != name);
            deleteNamespace = !others.Any();
        }
        return new DeletionPlan(name, ns, items, deleteNamespace);
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <summary>Deletes what <paramref name="plan"/> lists; objects already gone are fine.</summary>
    public static async Task DeleteAsync(IKubernetes client, DeletionPlan plan, CancellationToken cancellationToken)
    {
        foreach (var (kind, name) in plan.Items)
        {
            await DeleteQuietlyAsync(() => DeleteAsync(client, kind, name, plan.Namespace, cancellationToken), rethrowForbidden: true);
        }
        if (plan.DeleteNamespace)
        {
            await DeleteQuietlyAsync(() => client.CoreV1.DeleteNamespaceAsync(plan.Namespace, cancellationToken: cancellationToken), rethrowForbidden: true);
        }
    }

    /// <summary>A JSON merge patch of the replicas and annotations (a null annotation is removed).</summary>
    private static V1Patch WorkloadPatch(int replicas, JsonObject annotations) =>
        new(new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = annotations },
            ["spec"] = new JsonObject { ["replicas"] = replicas },
        }.ToJsonString(), V1Patch.PatchType.MergePatch);

    private static Task PatchWorkloadAsync(IKubernetes client, VirtualClusterSummary vcluster, V1Patch patch, CancellationToken cancellationToken) =>
        vcluster.Workload == "Deployment"
            ? client.AppsV1.PatchNamespacedDeploymentAsync(patch, vcluster.Name, vcluster.Namespace, cancellationToken: cancellationToken)
            : client.AppsV1.PatchNamespacedStatefulSetAsync(patch, vcluster.Name, vcluster.Namespace, cancellationToken: cancellationToken);

    private static ClusterCredentials CredentialsOf(IDictionary<string, byte[]> data)
    {
        string? Text(string key) => data.TryGetValue(key, out var bytes) && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;
        var credentials = new ClusterCredentials
        {
            CertificateAuthorityPem = Text("certificate-authority"),
            ClientCertificatePem = Text("client-certificate"),
            ClientKeyPem = Text("client-key"),
        };
        if (!credentials.HasClientCertificate)
        {
            credentials = credentials with { ClientCertificatePem = null, ClientKeyPem = null, Token = Text("token") };
        }
        if (credentials is { HasClientCertificate: false, Token: null } && Text("config") is { } config &&
            KubeconfigReader.Read(config) is { Succeeded: true } read && read.Contexts.FirstOrDefault(c => c.Credentials is not null)?.Credentials is { } fromConfig)
        {
            credentials = fromConfig with { CertificateAuthorityPem = fromConfig.CertificateAuthorityPem ?? credentials.CertificateAuthorityPem };
        }
        return credentials.HasClientCertificate || credentials.Token is not null
            ? credentials
            : throw new VirtualClusterException("The vCluster's kubeconfig Secret holds no client certificate or token to sign in with.");
    }

    /// <summary>The server of the Secret's kubeconfig when it is not vcluster's own <c>https://localhost:8443</c> (exportKubeConfig.server).</summary>
    private static string? ExportedServer(IDictionary<string, byte[]> data) =>
        data.TryGetValue("config", out var bytes) && KubeconfigReader.Read(Encoding.UTF8.GetString(bytes)) is { Succeeded: true } read &&
        read.Contexts.FirstOrDefault()?.Server is { } server && !server.IsLoopback
            ? server.AbsoluteUri
            : null;

    private static Task CreateAsync(IKubernetes client, IKubernetesObject<V1ObjectMeta> item, CancellationToken ct)
    {
        var ns = item.Metadata.NamespaceProperty;
        return item switch
        {
            V1Namespace o => client.CoreV1.CreateNamespaceAsync(o, cancellationToken: ct),
            V1ResourceQuota o => client.CoreV1.CreateNamespacedResourceQuotaAsync(o, ns, cancellationToken: ct),
            V1LimitRange o => client.CoreV1.CreateNamespacedLimitRangeAsync(o, ns, cancellationToken: ct),
            V1NetworkPolicy o => client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(o, ns, cancellationToken: ct),
            V1ServiceAccount o => client.CoreV1.CreateNamespacedServiceAccountAsync(o, ns, cancellationToken: ct),
            V1Role o => client.RbacAuthorizationV1.CreateNamespacedRoleAsync(o, ns, cancellationToken: ct),
            V1RoleBinding o => client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(o, ns, cancellationToken: ct),
            V1Secret o => client.CoreV1.CreateNamespacedSecretAsync(o, ns, cancellationToken: ct),
            V1Service o => client.CoreV1.CreateNamespacedServiceAsync(o, ns, cancellationToken: ct),
            V1StatefulSet o => client.AppsV1.CreateNamespacedStatefulSetAsync(o, ns, cancellationToken: ct),
            _ => throw new ArgumentOutOfRangeException(nameof(item), item.Kind, "Not a vCluster object."),
        };
    }

    private static Task DeleteAsync(IKubernetes client, string kind, string name, string? ns, CancellationToken ct) => kind switch
    {
        "Namespace" => client.CoreV1.DeleteNamespaceAsync(name, cancellationToken: ct),
        "ResourceQuota" => client.CoreV1.DeleteNamespacedResourceQuotaAsync(name, ns, cancellationToken: ct),
        "LimitRange" => client.CoreV1.DeleteNamespacedLimitRangeAsync(name, ns, cancellationToken: ct),
        "NetworkPolicy" => client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(name, ns, cancellationToken: ct),
        "ServiceAccount" => client.CoreV1.DeleteNamespacedServiceAccountAsync(name, ns, cancellationToken: ct),
        "Role" => client.RbacAuthorizationV1.DeleteNamespacedRoleAsync(name, ns, cancellationToken: ct),
        "RoleBinding" => client.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(name, ns, cancellationToken: ct),
        "Secret" => client.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: ct),
        "ConfigMap" => client.CoreV1.DeleteNamespacedConfigMapAsync(name, ns, cancellationToken: ct),
        "Service" => client.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: ct),
        "StatefulSet" => client.AppsV1.DeleteNamespacedStatefulSetAsync(name, ns, cancellationToken: ct),
        "Deployment" => client.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, cancellationToken: ct),
        "PersistentVolumeClaim" => client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: ct),
        "Pod" => client.CoreV1.DeleteNamespacedPodAsync(name, ns, cancellationToken: ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a vCluster object."),
    };

    private static async Task<T?> GetOrNullAsync<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <returns>Whether the object is gone (deleted now, or not there).</returns>
    private static async Task<bool> DeleteQuietlyAsync(Func<Task> delete, bool rethrowForbidden = false)
    {
        try
        {
            await delete();
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return true;
        }
        catch (Exception ex) when (!rethrowForbidden && ex is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>A token goes into the YAML only as the characters a bearer token may hold (RFC 6750's b64token).</summary>
    private static string Base64Free(string token) =>
        token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/' or '=')
            ? token
            : throw new VirtualClusterException("The vCluster's token holds characters a bearer token may not.");
}

/// <summary>What deleting a vCluster removes from its host (<see cref="VirtualClusterLifecycle.PlanDeletionAsync"/>).</summary>
/// <param name="KeptByDashboard">What the dashboard's engine removes once the vCluster is forgotten (its isolation), for the confirmation.</param>
public sealed record DeletionPlan(string Name, string Namespace, IReadOnlyList<(string Kind, string Name)> Items, bool DeleteNamespace, IReadOnlyList<string>? KeptByDashboard = null)
{
    public IEnumerable<string> Lines =>
        Items.Select(i => $"{i.Kind} {i.Name}")
            .Concat(KeptByDashboard ?? [])
            .Concat(DeleteNamespace ? [$"Namespace {Namespace} (made for this vCluster; no other vCluster lives there)"] : []);
}
