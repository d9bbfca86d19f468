using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace MultiCluster.Simulator.Tests;

/// <summary>Create, read, update, patch and delete through KubernetesClient, checked against what kube-apiserver does.</summary>
public sealed class ClientCrudTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _client = fixture.CreateClient();

    [Fact]
    public async Task Create_assigns_uid_timestamp_and_increasing_resource_versions()
    {
        var first = await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("crud-first"), "default");
        var second = await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("crud-second"), "default");

        Assert.False(string.IsNullOrEmpty(first.Metadata.Uid));
        // A version 4 UUID, as kube-apiserver's, in its canonical form, and each object's own.
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", first.Metadata.Uid);
        Assert.NotEqual(first.Metadata.Uid, second.Metadata.Uid);
        Assert.NotNull(first.Metadata.CreationTimestamp);
        Assert.True(long.Parse(second.Metadata.ResourceVersion) > long.Parse(first.Metadata.ResourceVersion));
        var read = await _client.CoreV1.ReadNamespacedConfigMapAsync("crud-first", "default");
        Assert.Equal(first.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("value", read.Data["key"]);
    }

    [Fact]
    public async Task Create_with_generateName_gets_a_random_suffix()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "generated-" } }, "default");

        Assert.StartsWith("generated-", created.Metadata.Name);
        Assert.Equal("generated-".Length + 5, created.Metadata.Name.Length);
    }

    [Fact]
    public async Task Duplicate_create_is_409_AlreadyExists_and_missing_object_is_404_NotFound()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("crud-dup"), "default");

        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("crud-dup"), "default"));
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedConfigMapAsync("nope", "default"));

        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Contains("\"reason\":\"AlreadyExists\"", conflict.Response.Content);
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Contains("configmaps \\\"nope\\\" not found", missing.Response.Content);
    }

    [Fact]
    public async Task Invalid_name_is_422_Invalid()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("Not_Valid"), "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains("\"reason\":\"Invalid\"", error.Response.Content);
    }

    [Fact]
    public async Task Update_with_a_stale_resourceVersion_is_409_Conflict()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("crud-stale"), "default");
        created.Data["key"] = "changed";
        var updated = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "crud-stale", "default");

        created.Data["key"] = "stale";
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "crud-stale", "default"));

        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Contains("the object has been modified", error.Response.Content);
    }

    [Fact]
    public async Task An_update_that_changes_nothing_keeps_the_resourceVersion_even_with_fields_in_another_order()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "crud-order" }, Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } }, "default");

        // The same data written in the other order: the same length, other bytes, the same object.
        created.Data = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };
        var reordered = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "crud-order", "default");
        // The same length and order, another value: a change.
        reordered.Data = new Dictionary<string, string> { ["a"] = "2", ["b"] = "1" };
        var changed = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(reordered, "crud-order", "default");

        Assert.Equal(created.Metadata.ResourceVersion, reordered.Metadata.ResourceVersion);
        Assert.NotEqual(created.Metadata.ResourceVersion, changed.Metadata.ResourceVersion);
        Assert.Equal("2", (await _client.CoreV1.ReadNamespacedConfigMapAsync("crud-order", "default")).Data["a"]);
    }

    [Fact]
    public async Task Merge_json_and_strategic_patches_apply()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("crud-patch"), "default");

        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}", V1Patch.PatchType.MergePatch), "crud-patch", "default");
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("[{\"op\":\"add\",\"path\":\"/data/extra\",\"value\":\"1\"}]", V1Patch.PatchType.JsonPatch), "crud-patch", "default");
        var patched = await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"annotations\":{\"note\":\"x\"}},\"data\":{\"key\":null}}", V1Patch.PatchType.StrategicMergePatch), "crud-patch", "default");

        Assert.Equal("web", patched.Metadata.Labels["tier"]);
        Assert.Equal("x", patched.Metadata.Annotations["note"]);
        Assert.Equal("1", patched.Data["extra"]);
        Assert.False(patched.Data.ContainsKey("key"));
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("crud-smp", 0), "default");

        var patch = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"crud-smp\",\"image\":\"nginx:1.28\"}]}}}}";
        var patched = await _client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "crud-smp", "default");

        var container = Assert.Single(patched.Spec.Template.Spec.Containers);
        Assert.Equal("nginx:1.28", container.Image);
        Assert.Equal("50m", container.Resources.Requests["cpu"].ToString());
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_merges()
    {
        var quota = new V1ResourceQuota
        {
            ApiVersion = "v1",
            Kind = "ResourceQuota",
            Metadata = new V1ObjectMeta { Name = "crud-quota", Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "multicluster" } },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("10") } },
        };

        var created = await _client.CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch(quota, V1Patch.PatchType.ApplyPatch), "crud-quota", "default", fieldManager: "multicluster", force: true);
        quota.Spec.Hard["pods"] = new ResourceQuantity("20");
        var updated = await _client.CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch(quota, V1Patch.PatchType.ApplyPatch), "crud-quota", "default", fieldManager: "multicluster", force: true);

        Assert.Equal("10", created.Spec.Hard["pods"].ToString());
        Assert.Equal("20", updated.Spec.Hard["pods"].ToString());
        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);
        Assert.Equal("multicluster", updated.Metadata.Labels["app.kubernetes.io/managed-by"]);
    }

    [Fact]
    public async Task Deleting_a_namespace_removes_its_contents()
    {
        await _client.CoreV1.CreateNamespaceAsync(Manifests.Namespace("doomed"));
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("inside"), "doomed");

        var terminating = await _client.CoreV1.DeleteNamespaceAsync("doomed");

        Assert.Equal("Terminating", terminating.ObjectView<V1Namespace>().Status.Phase);
        await Wait.ForAsync(async () => (await _client.CoreV1.ListNamespaceAsync()).Items.All(n => n.Metadata.Name != "doomed"), "namespace doomed to go away");
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedConfigMapAsync("inside", "doomed"));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task Each_cluster_has_its_own_objects_and_version()
    {
        var beta = fixture.CreateClient(fixture.Host["beta"]);

        var alphaNodes = await _client.CoreV1.ListNodeAsync();
        var betaNodes = await beta.CoreV1.ListNodeAsync();
        var version = await beta.Version.GetCodeAsync();

        Assert.Equal(3, alphaNodes.Items.Count);
        Assert.Equal(2, betaNodes.Items.Count);
        Assert.Equal("v1.31.4", version.GitVersion);
        Assert.All(betaNodes.Items, n => Assert.StartsWith("beta-", n.Metadata.Name));
    }

    [Fact]
    public async Task A_wrong_token_is_401_Unauthorized()
    {
        var configuration = fixture.Cluster.CreateClientConfiguration();
        configuration.AccessToken = "wrong";
        using var client = new Kubernetes(configuration);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespaceAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
        Assert.Contains("\"reason\":\"Unauthorized\"", error.Response.Content);
    }

    [Fact]
    public async Task The_viewer_may_read_but_writing_is_403_Forbidden()
    {
        var configuration = fixture.Cluster.CreateClientConfiguration();
        configuration.AccessToken = fixture.Cluster.ViewerToken;
        using var viewer = new Kubernetes(configuration);

        var namespaces = await viewer.CoreV1.ListNamespaceAsync();
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => viewer.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("viewer-made"), "default"));

        Assert.NotEmpty(namespaces.Items);
        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.Contains("configmaps is forbidden: User \\\"viewer\\\" cannot create resource \\\"configmaps\\\" in API group \\\"\\\" in the namespace \\\"default\\\"", error.Response.Content);
    }

    [Fact]
    public async Task Impersonation_headers_are_honoured_and_recorded()
    {
        await _client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "team-a-edit" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "edit" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = "team-a" }],
        }, "default");
        var headers = new Dictionary<string, IReadOnlyList<string>> { ["Impersonate-User"] = ["alice@example.com"], ["Impersonate-Group"] = ["team-a"] };

        using var response = await _client.CoreV1.CreateNamespacedConfigMapWithHttpMessagesAsync(Manifests.ConfigMap("impersonated"), "default", customHeaders: headers);

        var record = fixture.Cluster.Requests.Recent.Last(r => r.Method == "POST" && r.Path.StartsWith("/clusters/alpha/api/v1/namespaces/default/configmaps", StringComparison.Ordinal));
        Assert.Equal("alice@example.com", record.User);
        Assert.Equal(["team-a", "system:authenticated"], record.Groups);
        Assert.Equal("kubernetes-admin", record.ImpersonatedBy);
        Assert.Equal(201, record.StatusCode);
    }

    [Fact]
    public async Task A_client_certificate_authenticates_too()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sim-{Guid.NewGuid():N}.kubeconfig");
        try
        {
            fixture.Host.WriteKubeconfig(path, useClientCertificates: true);
            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, currentContext: "alpha");
            using var client = new Kubernetes(configuration);

            var namespaces = await client.CoreV1.ListNamespaceAsync();

            Assert.Contains(namespaces.Items, n => n.Metadata.Name == "kube-system");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
