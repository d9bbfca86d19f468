using System.Net.Sockets;
using k8s;
using k8s.Models;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Tests;

/// <summary>
/// vCluster behaviour on a simulated host: the chart's objects bring up a nested cluster reached through the kubeconfig
/// Secret and the load balancer's port, its pods run on the host under the syncer's names, and pause, resume and delete
/// do what they do to a real vCluster.
/// </summary>
public sealed class VirtualClusterTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private const string ManagedBy = "vcluster.loft.sh/managed-by";
    private readonly Kubernetes _host = fixture.CreateClient();

    [Fact]
    public async Task The_chart_brings_up_a_nested_cluster_reached_through_its_kubeconfig_secret_and_load_balancer()
    {
        await VirtualClusterChart.ApplyAsync(fixture.Kubectl, "vcluster-one", "one");

        var secret = await VirtualClusterChart.WaitForKubeconfigSecretAsync(_host, "vcluster-one", "one");
        var port = await VirtualClusterChart.WaitForLoadBalancerPortAsync(_host, "vcluster-one", "one");
        var nested = VirtualClusterChart.Connect(VirtualClusterChart.Kubeconfig(secret, port));
        var namespaces = await nested.CoreV1.ListNamespaceAsync();
        var version = await nested.Version.GetCodeAsync();
        var nodes = await nested.CoreV1.ListNodeAsync();

        Assert.Equal(["certificate-authority", "client-certificate", "client-key", "config", "token"], secret.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("server: \"https://localhost:8443\"", secret["config"]);
        Assert.Contains("current-context: \"my-vcluster\"", secret["config"]);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", secret["certificate-authority"]);
        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], namespaces.Items.Select(n => n.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal("v1.31.1", version.GitVersion);
        Assert.Empty(nodes.Items);
        var vcluster = fixture.Cluster.VirtualClusters[("vcluster-one", "one")];
        Assert.True(vcluster.IsServing);
        Assert.Equal(port, vcluster.Port);
        var byToken = new Kubernetes(new KubernetesClientConfiguration
        {
            Host = $"https://127.0.0.1:{port}",
            AccessToken = secret["token"],
            SslCaCerts = [System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(secret["certificate-authority"])],
        });
        Assert.Equal("kubernetes-admin", (await byToken.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview())).Status.UserInfo.Username);
    }

    [Fact]
    public async Task Kubectl_inside_creates_a_deployment_whose_pods_run_on_the_host_under_synced_names()
    {
        await VirtualClusterChart.ApplyAsync(fixture.Kubectl, "vcluster-two", "two");
        using var inside = await KubectlInsideAsync("vcluster-two", "two");

        await inside.Kubectl.OkAsync("create deployment web --image=nginx --replicas=2 -n default");

        await Wait.ForAsync(async () => (await _host.CoreV1.ListNamespacedPodAsync("vcluster-two", labelSelector: $"{ManagedBy}=two", fieldSelector: "status.phase=Running")).Items.Count == 2, "two synced pods running on the host", 30);
        var hostPods = (await _host.CoreV1.ListNamespacedPodAsync("vcluster-two", labelSelector: $"{ManagedBy}=two")).Items;
        await Wait.ForAsync(async () => (await inside.Kubectl.OkAsync("get pods -n default --no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Count(l => Kubectl.Columns(l) is [_, "1/1", "Running", ..]) == 2, "two Running pods inside", 30);
        var podsInside = (await inside.Client.CoreV1.ListNamespacedPodAsync("default")).Items;
        var nodesInside = (await inside.Kubectl.OkAsync("get nodes --no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Kubectl.Columns(l)[0]).ToList();

        Assert.Equal(podsInside.Select(p => $"{p.Metadata.Name}-x-default-x-two").Order(StringComparer.Ordinal), hostPods.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(hostPods, p =>
        {
            Assert.Equal("web", p.Metadata.Labels["app"]);
            Assert.Equal("default", p.Metadata.Annotations["vcluster.loft.sh/object-namespace"]);
            Assert.Equal(p.Metadata.Name, $"{p.Metadata.Annotations["vcluster.loft.sh/object-name"]}-x-default-x-two");
            // The host's LimitRange applied to the host pod, not inside.
            Assert.Equal("100m", p.Spec.Containers.Single().Resources.Requests["cpu"].ToString());
        });
        Assert.All(podsInside, p => Assert.Equal(hostPods.Single(h => h.Metadata.Name == $"{p.Metadata.Name}-x-default-x-two").Spec.NodeName, p.Spec.NodeName));
        Assert.Equal(hostPods.Select(p => p.Spec.NodeName).Distinct().Order(StringComparer.Ordinal), nodesInside.Order(StringComparer.Ordinal));
        Assert.Equal(2, (await inside.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default")).Status.ReadyReplicas);
    }

    [Fact]
    public async Task A_long_pod_name_gets_the_syncers_hashed_63_character_host_name()
    {
        await VirtualClusterChart.ApplyAsync(fixture.Kubectl, "vcluster-long", "vc-long");
        using var inside = await KubectlInsideAsync("vcluster-long", "vc-long");

        await inside.Client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("a-pod-whose-name-is-long-enough-to-need-hashing"), "default");

        await Wait.ForAsync(async () => (await _host.CoreV1.ListNamespacedPodAsync("vcluster-long", labelSelector: $"{ManagedBy}=vc-long")).Items.Count == 1, "the synced pod on the host", 30);
        var hostPod = (await _host.CoreV1.ListNamespacedPodAsync("vcluster-long", labelSelector: $"{ManagedBy}=vc-long")).Items.Single();
        Assert.Equal("a-pod-whose-name-is-long-enough-to-need-hashing-x-de-9fc8e719fa", hostPod.Metadata.Name);
        Assert.Equal("a-pod-whose-name-is-long-enough-to-need-hashing", hostPod.Metadata.Annotations["vcluster.loft.sh/object-name"]);

        await inside.Client.CoreV1.DeleteNamespacedPodAsync("a-pod-whose-name-is-long-enough-to-need-hashing", "default");

        await Wait.ForAsync(async () => (await _host.CoreV1.ListNamespacedPodAsync("vcluster-long", labelSelector: $"{ManagedBy}=vc-long")).Items.Count == 0, "the host pod deleted with the nested one", 30);
    }

    [Fact]
    public async Task Pausing_stops_the_nested_api_and_resuming_serves_its_objects_again_on_the_same_port()
    {
        await VirtualClusterChart.ApplyAsync(fixture.Kubectl, "vcluster-pause", "sleepy");
        using var inside = await KubectlInsideAsync("vcluster-pause", "sleepy");
        await inside.Kubectl.OkAsync("create deployment web --image=nginx --replicas=2 -n default");
        await Wait.ForAsync(async () => (await _host.CoreV1.ListNamespacedPodAsync("vcluster-pause", labelSelector: $"{ManagedBy}=sleepy", fieldSelector: "status.phase=Running")).Items.Count == 2, "two synced pods running", 30);
        var podsBefore = (await inside.Client.CoreV1.ListNamespacedPodAsync("default")).Items.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal).ToList();

        // The CLI's pause: the StatefulSet to 0 replicas, then the synced pods deleted.
        await _host.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch("{\"spec\":{\"replicas\":0}}", V1Patch.PatchType.MergePatch), "sleepy", "vcluster-pause");
        await _host.CoreV1.DeleteCollectionNamespacedPodAsync("vcluster-pause", labelSelector: $"{ManagedBy}=sleepy");

        await Wait.ForAsync(() => !fixture.Cluster.VirtualClusters[("vcluster-pause", "sleepy")].IsServing, "the nested API server stopped", 30);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => inside.Client.CoreV1.ListNamespaceAsync());
        Assert.Equal(SocketError.ConnectionRefused, (error.InnerException as SocketException)?.SocketErrorCode);
        await Wait.ForAsync(async () => (await _host.CoreV1.ListNamespacedPodAsync("vcluster-pause", labelSelector: $"{ManagedBy}=sleepy")).Items.Count == 0, "no synced pods on the host", 30);

        await _host.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch("{\"spec\":{\"replicas\":1}}", V1Patch.PatchType.MergePatch), "sleepy", "vcluster-pause");

        await Wait.ForAsync(async () => (await inside.Client.CoreV1.ListNamespaceAsync()).Items.Count > 0, "the nested API server on the same port", 30);
        await Wait.ForAsync(async () => (await _host.CoreV1.ListNamespacedPodAsync("vcluster-pause", labelSelector: $"{ManagedBy}=sleepy", fieldSelector: "status.phase=Running")).Items.Count == 2, "the pods re-synced to the host", 30);
        var podsAfter = (await inside.Client.CoreV1.ListNamespacedPodAsync("default")).Items.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        var hostPods = (await _host.CoreV1.ListNamespacedPodAsync("vcluster-pause", labelSelector: $"{ManagedBy}=sleepy")).Items;
        Assert.Equal(2, (await inside.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default")).Spec.Replicas);
        Assert.Equal(podsBefore, podsAfter);
        Assert.Equal(podsAfter.Select(p => $"{p}-x-default-x-sleepy"), hostPods.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Deleting_the_statefulset_removes_the_nested_cluster_and_its_synced_pods()
    {
        await VirtualClusterChart.ApplyAsync(fixture.Kubectl, "vcluster-gone", "gone");
        using var inside = await KubectlInsideAsync("vcluster-gone", "gone");
        await inside.Client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("lonely"), "default");
        await Wait.ForAsync(async () => (await _host.CoreV1.ListNamespacedPodAsync("vcluster-gone", labelSelector: $"{ManagedBy}=gone")).Items.Count == 1, "the synced pod", 30);

        await _host.AppsV1.DeleteNamespacedStatefulSetAsync("gone", "vcluster-gone");

        await Wait.ForAsync(() => !fixture.Cluster.VirtualClusters.ContainsKey(("vcluster-gone", "gone")), "the vCluster gone", 30);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => inside.Client.CoreV1.ListNamespaceAsync());
        Assert.Equal(SocketError.ConnectionRefused, (error.InnerException as SocketException)?.SocketErrorCode);
        await Wait.ForAsync(async () => (await _host.CoreV1.ListNamespacedPodAsync("vcluster-gone", labelSelector: $"{ManagedBy}=gone")).Items.Count == 0, "no synced pods on the host", 30);
        Assert.Empty((await _host.CoreV1.ListNamespacedSecretAsync("vcluster-gone", fieldSelector: "metadata.name=vc-gone")).Items);
    }

    [Fact]
    public async Task A_deployment_based_vcluster_serves_too()
    {
        const string Config = """
            controlPlane:
              distro:
                k8s: {image: {tag: v1.30.4}}
            exportKubeConfig:
              server: https://dep.vcluster-deploy.svc:443
            """;
        await VirtualClusterChart.ApplyAsync(fixture.Kubectl, "vcluster-deploy", "dep", kind: "Deployment", serviceType: "NodePort", config: Config);

        var secret = await VirtualClusterChart.WaitForKubeconfigSecretAsync(_host, "vcluster-deploy", "dep");
        var vcluster = fixture.Cluster.VirtualClusters[("vcluster-deploy", "dep")];
        Assert.Contains("server: \"https://dep.vcluster-deploy.svc:443\"", secret["config"]);
        // The exported server is an in-cluster name; from outside, the vCluster is at its loopback address.
        var nested = VirtualClusterChart.Connect(secret["config"].Replace("https://dep.vcluster-deploy.svc:443", vcluster.ServerUrl.ToString().TrimEnd('/'), StringComparison.Ordinal));
        Assert.Equal("v1.30.4", (await nested.Version.GetCodeAsync()).GitVersion);
        await nested.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("solo"), "default");

        await Wait.ForAsync(async () => (await nested.CoreV1.ReadNamespacedPodAsync("solo", "default")).Status.Phase == "Running", "the pod Running inside", 30);
        var hostPod = await _host.CoreV1.ReadNamespacedPodAsync("solo-x-default-x-dep", "vcluster-deploy");
        var service = await _host.CoreV1.ReadNamespacedServiceAsync("dep", "vcluster-deploy");
        Assert.Equal("Running", hostPod.Status.Phase);
        Assert.Equal("dep", hostPod.Metadata.Labels[ManagedBy]);
        Assert.Null(service.Status?.LoadBalancer?.Ingress);
        Assert.Equal(new Uri($"https://127.0.0.1:{vcluster.Port}"), vcluster.ServerUrl);
    }

    [Fact]
    public async Task A_pod_the_host_quota_refuses_is_a_sync_error_event_inside()
    {
        await VirtualClusterChart.ApplyAsync(fixture.Kubectl, "vcluster-tight", "tight");
        using var inside = await KubectlInsideAsync("vcluster-tight", "tight");

        await inside.Client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("greedy", cpu: "50"), "default");

        await Wait.ForAsync(async () => (await inside.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=greedy")).Items
            .Any(e => e.Type == "Warning" && e.Reason == "SyncError" && e.Message.Contains("exceeded quota: vc-tight")), "a SyncError event inside", 30);
        Assert.Empty((await _host.CoreV1.ListNamespacedPodAsync("vcluster-tight", labelSelector: $"{ManagedBy}=tight")).Items);
    }

    [Fact]
    public async Task Removing_the_host_cluster_stops_its_vclusters()
    {
        var host = await fixture.Host.AddClusterAsync(new ClusterOptions { Name = "vc-host", Nodes = 1 });
        var directory = Directory.CreateTempSubdirectory("sim-vc-host-").FullName;
        try
        {
            var kubeconfig = Path.Combine(directory, "config");
            await File.WriteAllTextAsync(kubeconfig, Kubeconfig.Build([host], useClientCertificates: false));
            await VirtualClusterChart.ApplyAsync(new Kubectl(kubeconfig, Path.Combine(directory, "cache")), "vcluster-x", "x");
            var hostClient = new Kubernetes(host.CreateClientConfiguration());
            var secret = await VirtualClusterChart.WaitForKubeconfigSecretAsync(hostClient, "vcluster-x", "x");
            var port = await VirtualClusterChart.WaitForLoadBalancerPortAsync(hostClient, "vcluster-x", "x");
            var nested = VirtualClusterChart.Connect(VirtualClusterChart.Kubeconfig(secret, port));
            Assert.NotEmpty((await nested.CoreV1.ListNamespaceAsync()).Items);

            await fixture.Host.RemoveClusterAsync("vc-host");

            // The client's kept connection is closed under it: its next request fails, as a reset or as a refused new
            // connection, depending on which it notices first.
            await Assert.ThrowsAsync<HttpRequestException>(() => nested.CoreV1.ListNamespaceAsync());
            // Nothing listens on the nested API's port any more: a new connection is refused.
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(System.Net.IPAddress.Loopback, port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
            Assert.Empty(host.VirtualClusters);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The vCluster's kubeconfig Secret written to disk (server rewritten to the load balancer's port) for kubectl and a client.</summary>
    private async Task<Inside> KubectlInsideAsync(string ns, string name)
    {
        var secret = await VirtualClusterChart.WaitForKubeconfigSecretAsync(_host, ns, name);
        var port = await VirtualClusterChart.WaitForLoadBalancerPortAsync(_host, ns, name);
        var kubeconfig = VirtualClusterChart.Kubeconfig(secret, port);
        var directory = Directory.CreateTempSubdirectory("sim-vcluster-").FullName;
        var path = Path.Combine(directory, "config");
        await File.WriteAllTextAsync(path, kubeconfig);
        return new Inside(directory, new Kubectl(path, Path.Combine(directory, "cache")), VirtualClusterChart.Connect(kubeconfig));
    }

    private sealed record Inside(string Directory, Kubectl Kubectl, Kubernetes Client) : IDisposable
    {
        public void Dispose()
        {
            Client.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
