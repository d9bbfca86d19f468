using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace MultiCluster.Simulator.Tests;

/// <summary>The simulated control plane and kubelets, observed through KubernetesClient.</summary>
public sealed class ControllerTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _client = fixture.CreateClient();

    [Fact]
    public async Task A_deployment_gets_a_replicaset_and_running_ready_pods()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("ctl-web", 3), "default");

        await Wait.ForAsync(async () => (await _client.AppsV1.ReadNamespacedDeploymentAsync("ctl-web", "default")).Status?.ReadyReplicas == 3, "3 ready replicas");
        var replicaSets = await _client.AppsV1.ListNamespacedReplicaSetAsync("default", labelSelector: "app=ctl-web");
        var pods = await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=ctl-web");
        var deployment = await _client.AppsV1.ReadNamespacedDeploymentAsync("ctl-web", "default");

        var replicaSet = Assert.Single(replicaSets.Items);
        Assert.Equal("Deployment", replicaSet.Metadata.OwnerReferences.Single().Kind);
        Assert.Equal(3, pods.Items.Count);
        Assert.All(pods.Items, p =>
        {
            Assert.Equal("Running", p.Status.Phase);
            Assert.StartsWith(replicaSet.Metadata.Name + "-", p.Metadata.Name);
            Assert.False(string.IsNullOrEmpty(p.Spec.NodeName));
            Assert.True(p.Status.ContainerStatuses.Single().Ready);
            Assert.NotNull(p.Status.ContainerStatuses.Single().State.Running);
            Assert.Contains(p.Status.Conditions, c => c.Type == "Ready" && c.Status == "True");
        });
        Assert.Equal(deployment.Metadata.Generation, deployment.Status.ObservedGeneration);
        Assert.Contains(deployment.Status.Conditions, c => c.Type == "Available" && c.Status == "True");
    }

    [Fact]
    public async Task The_scheduler_spreads_pods_over_nodes()
    {
        await Wait.ForAsync(async () => (await _client.CoreV1.ListNamespacedPodAsync("team-a", fieldSelector: "status.phase=Running")).Items.Count == 12, "12 seeded pods running");

        var pods = await _client.CoreV1.ListNamespacedPodAsync("team-a");

        Assert.Equal([4, 4, 4], pods.Items.GroupBy(p => p.Spec.NodeName).Select(g => g.Count()));
    }

    [Fact]
    public async Task The_scale_subresource_resizes_a_deployment()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("ctl-scale", 1), "default");
        // Resize only once the controller has the deployment at 1: a resize before that scales "from 0 to 4".
        await Wait.ForAsync(async () => (await _client.AppsV1.ReadNamespacedDeploymentScaleAsync("ctl-scale", "default")).Status?.Replicas == 1, "the deployment at 1 replica");

        var scale = await _client.AppsV1.ReadNamespacedDeploymentScaleAsync("ctl-scale", "default");
        var patched = await _client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch), "ctl-scale", "default");

        Assert.Equal(1, scale.Spec.Replicas);
        Assert.Equal(4, patched.Spec.Replicas);
        await Wait.ForAsync(async () => (await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=ctl-scale", fieldSelector: "status.phase=Running")).Items.Count == 4, "4 running pods");
        var after = await _client.AppsV1.ReadNamespacedDeploymentScaleAsync("ctl-scale", "default");
        Assert.Equal(4, after.Status.Replicas);
        Assert.Contains("app=ctl-scale", after.Status.Selector);
        var events = await _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=ctl-scale");
        Assert.Contains(events.Items, e => e.Reason == "ScalingReplicaSet" && e.Message.Contains("from 1 to 4"));
    }

    [Fact]
    public async Task A_statefulset_creates_ordered_pods_and_scales_down_from_the_highest()
    {
        await _client.AppsV1.CreateNamespacedStatefulSetAsync(Manifests.StatefulSet("ctl-db", 3), "default");

        await Wait.ForAsync(async () => (await _client.AppsV1.ReadNamespacedStatefulSetAsync("ctl-db", "default")).Status?.ReadyReplicas == 3, "3 ready statefulset replicas");
        var pods = await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=ctl-db");
        Assert.Equal(["ctl-db-0", "ctl-db-1", "ctl-db-2"], pods.Items.Select(p => p.Metadata.Name).Order());
        var created = pods.Items.OrderBy(p => p.Metadata.Name).Select(p => long.Parse(p.Metadata.ResourceVersion)).ToList();

        await _client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":1}}", V1Patch.PatchType.MergePatch), "ctl-db", "default");

        await Wait.ForAsync(async () => (await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=ctl-db")).Items.Select(p => p.Metadata.Name).SequenceEqual(["ctl-db-0"]), "only ctl-db-0 left");
        Assert.Equal(3, created.Count);
    }

    [Fact]
    public async Task A_pod_that_fits_nowhere_stays_pending_as_unschedulable()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("ctl-huge", cpu: "64"), "default");

        await Wait.ForAsync(async () => (await _client.CoreV1.ReadNamespacedPodAsync("ctl-huge", "default")).Status.Conditions?.Any(c => c.Type == "PodScheduled" && c.Reason == "Unschedulable") == true, "Unschedulable condition");
        var pod = await _client.CoreV1.ReadNamespacedPodAsync("ctl-huge", "default");

        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Null(pod.Spec.NodeName);
        Assert.Contains("Insufficient cpu", pod.Status.Conditions.Single(c => c.Type == "PodScheduled").Message);
        // The scheduler records the event just after the condition: wait for it rather than read it at once.
        await Wait.ForAsync(async () => (await _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=ctl-huge,reason=FailedScheduling")).Items.Count > 0,
            "a FailedScheduling event");
    }

    [Fact]
    public async Task A_delete_waits_for_finalizers_and_a_running_pods_grace_and_is_at_once_otherwise()
    {
        var held = Manifests.ConfigMap("ctl-held");
        held.Metadata.Finalizers = ["example.com/hold"];
        await _client.CoreV1.CreateNamespacedConfigMapAsync(held, "default");
        var free = await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("ctl-free"), "default");
        await _client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("ctl-graceful"), "default");
        await _client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("ctl-at-once"), "default");
        await Wait.ForAsync(async () => (await _client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "status.phase=Running")).Items
            .Count(p => p.Metadata.Name is "ctl-graceful" or "ctl-at-once") == 2, "both pods running");

        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.DeleteNamespacedConfigMapAsync("ctl-free", "default",
            new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = Guid.NewGuid().ToString() } }));
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("ctl-held", "default");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("ctl-free", "default", new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = free.Metadata.Uid } });
        var graceful = await _client.CoreV1.DeleteNamespacedPodAsync("ctl-graceful", "default");
        await _client.CoreV1.DeleteNamespacedPodAsync("ctl-at-once", "default", gracePeriodSeconds: 0);

        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
        Assert.NotNull((await _client.CoreV1.ReadNamespacedConfigMapAsync("ctl-held", "default")).Metadata.DeletionTimestamp);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedConfigMapAsync("ctl-free", "default"))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedPodAsync("ctl-at-once", "default"))).Response.StatusCode);
        // A running pod's kubelet has its grace period (30 s by default) to stop it: terminating until then.
        Assert.NotNull(graceful.Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_deleted_pod_terminates_and_its_replicaset_replaces_it()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("ctl-heal", 2), "default");
        await Wait.ForAsync(async () => (await _client.AppsV1.ReadNamespacedDeploymentAsync("ctl-heal", "default")).Status?.ReadyReplicas == 2, "2 ready replicas");
        var victim = (await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=ctl-heal")).Items[0].Metadata.Name;

        var deleted = await _client.CoreV1.DeleteNamespacedPodAsync(victim, "default");

        Assert.NotNull(deleted.Metadata.DeletionTimestamp);
        await Wait.ForAsync(async () =>
        {
            var pods = (await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=ctl-heal", fieldSelector: "status.phase=Running")).Items;
            return pods.Count == 2 && pods.All(p => p.Metadata.Name != victim);
        }, "a replacement pod running");
    }

    [Fact]
    public async Task Pod_logs_return_lines_and_previous_needs_a_restart()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("ctl-logs"), "default");
        await Wait.ForAsync(async () => (await _client.CoreV1.ReadNamespacedPodAsync("ctl-logs", "default")).Status.Phase == "Running", "pod running");

        await using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync("ctl-logs", "default", tailLines: 4);
        var lines = (await new StreamReader(stream).ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var previous = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ReadNamespacedPodLogAsync("ctl-logs", "default", previous: true));

        Assert.Equal(4, lines.Length);
        Assert.Equal(HttpStatusCode.BadRequest, previous.Response.StatusCode);
        Assert.Contains("previous terminated container", previous.Response.Content);
    }

    [Fact]
    public async Task Resource_quotas_track_usage_and_refuse_pods_beyond_them()
    {
        await _client.CoreV1.CreateNamespaceAsync(Manifests.Namespace("quota"));
        await _client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "compute" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("2"), ["requests.cpu"] = new("1") } },
        }, "quota");

        await _client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("capped", 3), "quota");

        await Wait.ForAsync(async () => (await _client.CoreV1.ReadNamespacedResourceQuotaAsync("compute", "quota")).Status?.Used?["pods"].ToString() == "2", "quota used pods=2");
        var quota = await _client.CoreV1.ReadNamespacedResourceQuotaAsync("compute", "quota");
        Assert.Equal("100m", quota.Status.Used["requests.cpu"].ToString());
        Assert.Equal("2", quota.Status.Hard["pods"].ToString());
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("one-too-many"), "quota"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains("exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2", refused.Response.Content);
        await Wait.ForAsync(async () => (await _client.CoreV1.ListNamespacedEventAsync("quota", fieldSelector: "reason=FailedCreate")).Items.Any(e => e.Message.Contains("exceeded quota")), "a FailedCreate event");
        Assert.Equal(2, (await _client.CoreV1.ListNamespacedPodAsync("quota")).Items.Count);
    }

    [Fact]
    public async Task A_pods_events_read_the_same_written_as_bytes_or_as_a_tree_and_a_quota_that_counts_events_is_charged_for_them()
    {
        // Where no quota counts events they are written straight to bytes; where one does, the ordinary create admits them.
        var plain = await Quotas.NamespaceAsync(_client, "ev-plain");
        var counted = await Quotas.NamespaceAsync(_client, "ev-counted");
        await Quotas.CreateAsync(_client, counted, "events", new() { ["count/events"] = "2" });
        foreach (var ns in new[] { plain, counted })
        {
            await _client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("starter"), ns);
        }

        async Task<List<Corev1Event>> EventsAsync(string ns) =>
            [.. (await _client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.kind=Pod,involvedObject.name=starter")).Items.OrderBy(e => e.Reason)];
        await Wait.ForAsync(async () => (await EventsAsync(plain)).Select(e => e.Reason).SequenceEqual(["Pulled", "Scheduled", "Started"]), "the pod's three events");
        // The kubelet records Pulled and Started in one go: with room for two events, Started is refused.
        await Wait.ForAsync(async () => (await EventsAsync(counted)).Count == 2, "the two events the quota has room for");
        Assert.Equal(["Pulled", "Scheduled"], (await EventsAsync(counted)).Select(e => e.Reason));
        var written = await EventsAsync(plain);
        var admitted = await EventsAsync(counted);

        object Shape(Corev1Event e) => (e.Reason, e.Type, System.Text.RegularExpressions.Regex.Replace(e.Message.Replace(counted, plain), " to [^ ]+$", " to a node"), e.Source.Component, e.ReportingComponent, e.ReportingInstance, e.Count,
            e.InvolvedObject.Kind, e.InvolvedObject.ApiVersion, e.InvolvedObject.Name, e.InvolvedObject.NamespaceProperty.Replace(counted, plain),
            e.FirstTimestamp == e.LastTimestamp, e.Metadata.Name.StartsWith("starter.", StringComparison.Ordinal), e.Kind, e.ApiVersion);
        Assert.Equal(admitted.Select(Shape), written.Where(e => e.Reason != "Started").Select(Shape));
        var pod = await _client.CoreV1.ReadNamespacedPodAsync("starter", plain);
        Assert.All(written, e =>
        {
            Assert.Equal(pod.Metadata.Uid, e.InvolvedObject.Uid);
            Assert.Equal(plain, e.Metadata.NamespaceProperty);
            Assert.True(Guid.TryParse(e.Metadata.Uid, out _));
            Assert.NotNull(e.Metadata.CreationTimestamp);
        });
        // Each is found by the fields it was written with, and the events list in key order over pages.
        var scheduled = Assert.Single((await _client.CoreV1.ListNamespacedEventAsync(plain, fieldSelector: $"involvedObject.uid={pod.Metadata.Uid},reason=Scheduled,source=default-scheduler,type=Normal")).Items);
        Assert.Equal("default-scheduler", scheduled.ReportingComponent);
        var first = await _client.CoreV1.ListNamespacedEventAsync(plain, limit: 2);
        var rest = await _client.CoreV1.ListNamespacedEventAsync(plain, limit: 2, continueParameter: first.Metadata.ContinueProperty);
        Assert.Equal(written.Select(e => e.Metadata.Name).Order(StringComparer.Ordinal), first.Items.Concat(rest.Items).Select(e => e.Metadata.Name));
        await Quotas.WaitForUsedAsync(_client, counted, "events", "count/events", "2");
    }

    [Fact]
    public async Task Nodes_report_capacity_allocatable_kubelet_version_and_heartbeats()
    {
        var node = (await _client.CoreV1.ListNodeAsync()).Items[0];
        var ready = node.Status.Conditions.Single(c => c.Type == "Ready");

        Assert.Equal("True", ready.Status);
        Assert.Equal("v1.32.2", node.Status.NodeInfo.KubeletVersion);
        Assert.Equal("8", node.Status.Capacity["cpu"].ToString());
        Assert.Equal("7800m", node.Status.Allocatable["cpu"].ToString());
        Assert.True(node.Metadata.Labels.ContainsKey("node-role.kubernetes.io/control-plane"));
        await Wait.ForAsync(async () =>
            (await _client.CoreV1.ReadNodeAsync(node.Metadata.Name)).Status.Conditions.Single(c => c.Type == "Ready").LastHeartbeatTime > ready.LastHeartbeatTime,
            "a newer heartbeat");
    }
}
