using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Kubernetes.VirtualClusters;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The vCluster's host objects, pause, resume and delete as the vcluster CLI sees them, against a simulated host.</summary>
public sealed class VirtualClusterLifecycleTests : IAsyncLifetime
{
    private SimulatorHost _simulator = default!;
    private k8s.Kubernetes _client = default!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "host", Nodes = 2, Pods = 0 }] });
        _client = new k8s.Kubernetes(_simulator["host"].CreateClientConfiguration());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Create_makes_the_charts_objects_with_their_exact_names_and_labels_but_not_the_isolation_quota()
    {
        var spec = new VirtualClusterSpec { Host = "host", Name = "team-a" };
        var progress = new List<string>();

        await VirtualClusterLifecycle.CreateAsync(_client, spec, createNamespace: true, new SyncProgress(progress), default);

        var ns = await _client.CoreV1.ReadNamespaceAsync("vcluster-team-a");
        Assert.Equal("true", ns.Metadata.Annotations[VirtualClusterNames.CreatedAnnotation]);
        var set = await _client.AppsV1.ReadNamespacedStatefulSetAsync("team-a", "vcluster-team-a");
        Assert.Equal("vcluster", set.Metadata.Labels["app"]);
        Assert.Equal("team-a", set.Metadata.Labels["release"]);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "vcluster", ["release"] = "team-a" }, set.Spec.Selector.MatchLabels);
        Assert.Equal("syncer", Assert.Single(set.Spec.Template.Spec.Containers).Name);
        Assert.EndsWith(":" + VirtualClusterSpec.DefaultRelease, set.Spec.Template.Spec.Containers[0].Image, StringComparison.Ordinal);
        var service = await _client.CoreV1.ReadNamespacedServiceAsync("team-a", "vcluster-team-a");
        Assert.Equal("true", service.Metadata.Labels[VirtualClusterNames.ServiceLabel]);
        Assert.Equal((443, "8443"), (service.Spec.Ports[0].Port, service.Spec.Ports[0].TargetPort.Value));
        Assert.Equal("LoadBalancer", service.Spec.Type);
        Assert.Equal("None", (await _client.CoreV1.ReadNamespacedServiceAsync("team-a-headless", "vcluster-team-a")).Spec.ClusterIP);
        await _client.CoreV1.ReadNamespacedServiceAccountAsync("vc-team-a", "vcluster-team-a");
        await _client.RbacAuthorizationV1.ReadNamespacedRoleAsync("vc-team-a", "vcluster-team-a");
        await _client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("vc-team-a", "vcluster-team-a");
        var config = await _client.CoreV1.ReadNamespacedSecretAsync("vc-config-team-a", "vcluster-team-a");
        Assert.Contains("version: v1.31.1", System.Text.Encoding.UTF8.GetString(config.Data["config.yaml"]), StringComparison.Ordinal);
        // The isolation quota and limit range are the engine's to write, not the person's.
        Assert.Empty((await _client.CoreV1.ListNamespacedResourceQuotaAsync("vcluster-team-a")).Items);
        Assert.Empty((await _client.CoreV1.ListNamespacedLimitRangeAsync("vcluster-team-a")).Items);
        Assert.Equal(["vc-cp-team-a", "vc-work-team-a"], (await _client.NetworkingV1.ListNamespacedNetworkPolicyAsync("vcluster-team-a")).Items.Select(p => p.Metadata.Name).Order());
        Assert.Contains("Created StatefulSet team-a", progress);
    }

    [Fact]
    public async Task A_refusal_part_way_removes_what_was_created_and_says_why()
    {
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "tenant" } });
        // Someone else's Service already holds the name the vCluster's headless Service needs.
        await _client.CoreV1.CreateNamespacedServiceAsync(new V1Service { Metadata = new V1ObjectMeta { Name = "b-headless" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] } }, "tenant");
        var spec = new VirtualClusterSpec { Host = "host", Name = "b", Namespace = "tenant" };

        var refused = await Assert.ThrowsAsync<VirtualClusterException>(() => VirtualClusterLifecycle.CreateAsync(_client, spec, createNamespace: false, null, default));

        Assert.Contains("stopped at Service b-headless", refused.Message, StringComparison.Ordinal);
        Assert.Contains("already exists", refused.Message, StringComparison.Ordinal);
        Assert.Empty((await _client.CoreV1.ListNamespacedServiceAsync("tenant", labelSelector: "release=b")).Items);
        Assert.Empty((await _client.CoreV1.ListNamespacedSecretAsync("tenant", labelSelector: "release=b")).Items);
        Assert.Empty((await _client.CoreV1.ListNamespacedResourceQuotaAsync("tenant")).Items);
        Assert.Empty((await _client.RbacAuthorizationV1.ListNamespacedRoleAsync("tenant")).Items);
        Assert.Single((await _client.CoreV1.ListNamespacedServiceAsync("tenant")).Items);
        await _client.CoreV1.ReadNamespaceAsync("tenant");
    }

    [Fact]
    public async Task Pause_and_resume_write_what_the_cli_writes_and_delete_the_vclusters_pods()
    {
        var spec = new VirtualClusterSpec { Host = "host", Name = "c" };
        await VirtualClusterLifecycle.CreateAsync(_client, spec, createNamespace: true, null, default);
        await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-x-default-x-c", Labels = new Dictionary<string, string> { [VirtualClusterNames.ManagedByLabel] = "c" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx" }] },
        }, "vcluster-c");
        var summary = new VirtualClusterSummary { Cluster = "host", Namespace = "vcluster-c", Name = "c", Replicas = 1 };
        var at = new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero);

        await VirtualClusterLifecycle.PauseAsync(_client, summary, at, default);

        var paused = await _client.AppsV1.ReadNamespacedStatefulSetAsync("c", "vcluster-c");
        Assert.Equal(0, paused.Spec.Replicas);
        Assert.Equal("true", paused.Metadata.Annotations["loft.sh/paused"]);
        Assert.Equal("1", paused.Metadata.Annotations["loft.sh/paused-replicas"]);
        Assert.Equal("1796450400", paused.Metadata.Annotations["loft.sh/paused-date"]);
        await Eventually.WaitForAsync(() => _client.CoreV1.ListNamespacedPod("vcluster-c", labelSelector: "vcluster.loft.sh/managed-by=c").Items.Count == 0,
            TimeSpan.FromSeconds(10), "the vCluster's pods to be deleted");

        await VirtualClusterLifecycle.ResumeAsync(_client, summary with { Paused = true, PausedReplicas = 1 }, default);

        var resumed = await _client.AppsV1.ReadNamespacedStatefulSetAsync("c", "vcluster-c");
        Assert.Equal(1, resumed.Spec.Replicas);
        Assert.DoesNotContain(resumed.Metadata.Annotations ?? new Dictionary<string, string>(), a => a.Key.StartsWith("loft.sh/paused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_lists_and_removes_the_release_its_kubeconfig_its_volume_and_the_namespace_it_made()
    {
        var spec = new VirtualClusterSpec { Host = "host", Name = "d" };
        await VirtualClusterLifecycle.CreateAsync(_client, spec, createNamespace: true, null, default);
        await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "vc-d" }, StringData = new Dictionary<string, string> { ["token"] = "t" } }, "vcluster-d");

        var plan = await VirtualClusterLifecycle.PlanDeletionAsync(_client, "d", "vcluster-d", default);

        Assert.Contains(("StatefulSet", "d"), plan.Items);
        Assert.Contains(("Service", "d-headless"), plan.Items);
        Assert.Contains(("Secret", "vc-config-d"), plan.Items);
        Assert.Contains(("Secret", "vc-d"), plan.Items);
        Assert.Contains(("NetworkPolicy", "vc-work-d"), plan.Items);
        Assert.True(plan.DeleteNamespace);
        Assert.Contains(plan.Lines, l => l.StartsWith("Namespace vcluster-d", StringComparison.Ordinal));

        await VirtualClusterLifecycle.DeleteAsync(_client, plan, default);

        await Eventually.WaitForAsync(() => NamespaceGone("vcluster-d"), TimeSpan.FromSeconds(15), "the namespace made for the vCluster to go");
    }

    [Fact]
    public async Task A_namespace_the_vcluster_did_not_make_stays_and_so_does_a_namespace_another_vcluster_lives_in()
    {
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "shared" } });
        await VirtualClusterLifecycle.CreateAsync(_client, new VirtualClusterSpec { Host = "host", Name = "e", Namespace = "shared" }, createNamespace: false, null, default);

        var plan = await VirtualClusterLifecycle.PlanDeletionAsync(_client, "e", "shared", default);

        Assert.False(plan.DeleteNamespace);
        await VirtualClusterLifecycle.DeleteAsync(_client, plan, default);
        Assert.Empty((await _client.AppsV1.ListNamespacedStatefulSetAsync("shared")).Items);
        await _client.CoreV1.ReadNamespaceAsync("shared");
    }

    private bool NamespaceGone(string name)
    {
        try
        {
            _client.CoreV1.ReadNamespace(name);
            return false;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return true;
        }
    }

    /// <summary>Records progress on the reporting thread (Progress&lt;T&gt; would post it later).</summary>
    private sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}
