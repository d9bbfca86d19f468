using k8s;
using k8s.Models;

namespace MultiCluster.Simulator.Tests;

/// <summary>ResourceQuota admission and status through KubernetesClient: kube-apiserver's refusals, word for word, and usage kept current.</summary>
public sealed class QuotaAdmissionTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _client = fixture.CreateClient();

    [Fact]
    public async Task A_count_quota_refuses_the_fourth_configmap_and_frees_room_on_delete()
    {
        var ns = await Quotas.NamespaceAsync(_client, "qa-configmaps");
        await Quotas.CreateAsync(_client, ns, "objects", new() { ["count/configmaps"] = "3", ["configmaps"] = "3" });
        for (var i = 1; i <= 3; i++)
        {
            await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap($"cm-{i}"), ns);
        }

        var refusal = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("cm-4"), ns));

        Assert.Equal("configmaps \"cm-4\" is forbidden: exceeded quota: objects, requested: configmaps=1,count/configmaps=1, " +
                     "used: configmaps=3,count/configmaps=3, limited: configmaps=3,count/configmaps=3", refusal);
        Assert.Equal(3, (await _client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Count);
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("cm-1", ns);
        await Quotas.WaitForUsedAsync(_client, ns, "objects", "count/configmaps", "2");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("cm-4"), ns);
        await Quotas.WaitForUsedAsync(_client, ns, "objects", "configmaps", "3");
    }

    [Fact]
    public async Task Count_quotas_cover_kinds_of_other_groups_and_secrets()
    {
        var ns = await Quotas.NamespaceAsync(_client, "qa-counts");
        await Quotas.CreateAsync(_client, ns, "workloads", new() { ["count/deployments.apps"] = "1", ["secrets"] = "1", ["count/roles.rbac.authorization.k8s.io"] = "0" });
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("first", 0), ns);
        await _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "one" } }, ns);

        var deployment = await Quotas.ForbiddenAsync(() => _client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("second", 0), ns));
        var secret = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "two" } }, ns));
        var role = await Quotas.ForbiddenAsync(() => _client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = "reader" } }, ns));

        Assert.Equal("deployments.apps \"second\" is forbidden: exceeded quota: workloads, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1", deployment);
        Assert.Equal("secrets \"two\" is forbidden: exceeded quota: workloads, requested: secrets=1, used: secrets=1, limited: secrets=1", secret);
        Assert.Equal("roles.rbac.authorization.k8s.io \"reader\" is forbidden: exceeded quota: workloads, requested: count/roles.rbac.authorization.k8s.io=1, used: count/roles.rbac.authorization.k8s.io=0, limited: count/roles.rbac.authorization.k8s.io=0", role);
        var quota = await Quotas.WaitForUsedAsync(_client, ns, "workloads", "count/deployments.apps", "1");
        Assert.Equal("1", quota.Status.Used["secrets"].ToString());
    }

    [Fact]
    public async Task Service_quotas_count_services_node_ports_and_load_balancers_on_create_and_update()
    {
        var ns = await Quotas.NamespaceAsync(_client, "qa-services");
        await Quotas.CreateAsync(_client, ns, "networking", new() { ["services"] = "4", ["services.nodeports"] = "2", ["services.loadbalancers"] = "1" });
        await _client.CoreV1.CreateNamespacedServiceAsync(Service("internal", "ClusterIP", 80), ns);
        await _client.CoreV1.CreateNamespacedServiceAsync(Service("exposed", "NodePort", 80, 443), ns);
        var balancer = Service("balancer", "LoadBalancer", 80);
        balancer.Spec.AllocateLoadBalancerNodePorts = false;
        await _client.CoreV1.CreateNamespacedServiceAsync(balancer, ns);

        var nodePort = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedServiceAsync(Service("more", "NodePort", 8080), ns));
        var loadBalancer = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedServiceAsync(Service("second-lb", "LoadBalancer", 80), ns));
        var update = await Quotas.ForbiddenAsync(() => _client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("{\"spec\":{\"type\":\"NodePort\"}}", V1Patch.PatchType.MergePatch), "internal", ns));

        Assert.Equal("services \"more\" is forbidden: exceeded quota: networking, requested: services.nodeports=1, used: services.nodeports=2, limited: services.nodeports=2", nodePort);
        Assert.Equal("services \"second-lb\" is forbidden: exceeded quota: networking, requested: services.loadbalancers=1,services.nodeports=1, " +
                     "used: services.loadbalancers=1,services.nodeports=2, limited: services.loadbalancers=1,services.nodeports=2", loadBalancer);
        Assert.Equal("services \"internal\" is forbidden: exceeded quota: networking, requested: services.nodeports=1, used: services.nodeports=2, limited: services.nodeports=2", update);
        var quota = await Quotas.WaitForUsedAsync(_client, ns, "networking", "services", "3");
        Assert.Equal(("2", "1"), (quota.Status.Used["services.nodeports"].ToString(), quota.Status.Used["services.loadbalancers"].ToString()));
    }

    [Fact]
    public async Task Claim_quotas_count_claims_and_storage_overall_and_per_storage_class()
    {
        var ns = await Quotas.NamespaceAsync(_client, "qa-claims");
        await Quotas.CreateAsync(_client, ns, "storage", new()
        {
            ["persistentvolumeclaims"] = "3", ["requests.storage"] = "10Gi", ["gold.storageclass.storage.k8s.io/requests.storage"] = "5Gi",
        });
        await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("data", "4Gi", "gold"), ns);
        await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("scratch", "1536Mi", null), ns);

        var gold = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("more-gold", "2Gi", "gold"), ns));
        var storage = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("big", "5Gi", null), ns));

        Assert.Equal("persistentvolumeclaims \"more-gold\" is forbidden: exceeded quota: storage, requested: gold.storageclass.storage.k8s.io/requests.storage=2Gi, " +
                     "used: gold.storageclass.storage.k8s.io/requests.storage=4Gi, limited: gold.storageclass.storage.k8s.io/requests.storage=5Gi", gold);
        Assert.Equal("persistentvolumeclaims \"big\" is forbidden: exceeded quota: storage, requested: requests.storage=5Gi, used: requests.storage=5632Mi, limited: requests.storage=10Gi", storage);
        var quota = await Quotas.WaitForUsedAsync(_client, ns, "storage", "persistentvolumeclaims", "2");
        Assert.Equal("5632Mi", quota.Status.Used["requests.storage"].ToString());
        Assert.Equal("4Gi", quota.Status.Used["gold.storageclass.storage.k8s.io/requests.storage"].ToString());
    }

    [Fact]
    public async Task Compute_quotas_charge_requests_and_limits_and_name_every_exceeded_resource()
    {
        var ns = await Quotas.NamespaceAsync(_client, "qa-compute");
        await Quotas.CreateAsync(_client, ns, "compute", new()
        {
            ["requests.cpu"] = "1", ["requests.memory"] = "1Gi", ["limits.cpu"] = "2", ["limits.memory"] = "2Gi",
            ["requests.ephemeral-storage"] = "4Gi", ["limits.ephemeral-storage"] = "8Gi", ["cpu"] = "1", ["memory"] = "1Gi", ["pods"] = "5",
        });
        var resources = new Dictionary<string, string> { ["cpu"] = "600m", ["memory"] = "512Mi", ["ephemeral-storage"] = "1Gi" };
        await _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("first", resources, new() { ["cpu"] = "1", ["memory"] = "1Gi", ["ephemeral-storage"] = "2Gi" }), ns);

        var refusal = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPodAsync(
            Quotas.Pod("second", resources, new() { ["cpu"] = "1200m", ["memory"] = "1Gi", ["ephemeral-storage"] = "2Gi" }), ns));

        Assert.Equal("pods \"second\" is forbidden: exceeded quota: compute, requested: cpu=600m,limits.cpu=1200m,requests.cpu=600m, " +
                     "used: cpu=600m,limits.cpu=1,requests.cpu=600m, limited: cpu=1,limits.cpu=2,requests.cpu=1", refusal);
        var quota = await Quotas.WaitForUsedAsync(_client, ns, "compute", "pods", "1");
        Assert.Equal(
            ["cpu=600m", "limits.cpu=1", "limits.ephemeral-storage=2Gi", "limits.memory=1Gi", "memory=512Mi", "pods=1", "requests.cpu=600m", "requests.ephemeral-storage=1Gi", "requests.memory=512Mi"],
            quota.Status.Used.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => $"{u.Key}={u.Value}"));
    }

    [Fact]
    public async Task A_pod_without_the_quotad_requests_must_specify_them_unless_a_limit_stands_in()
    {
        var ns = await Quotas.NamespaceAsync(_client, "qa-must-specify");
        await Quotas.CreateAsync(_client, ns, "compute", new() { ["requests.cpu"] = "2", ["limits.memory"] = "1Gi" });

        var bare = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("bare"), ns));
        var partial = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("partial", new() { ["cpu"] = "100m" }), ns));
        // A limit alone is defaulted into the request (SetDefaults_Pod), so this pod states both.
        var limited = await _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("limited", limits: new() { ["cpu"] = "500m", ["memory"] = "256Mi" }), ns);

        Assert.Equal("pods \"bare\" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app", bare);
        Assert.Equal("pods \"partial\" is forbidden: failed quota: compute: must specify limits.memory for: app", partial);
        Assert.Equal("500m", limited.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        await Quotas.WaitForUsedAsync(_client, ns, "compute", "requests.cpu", "500m");
    }

    [Fact]
    public async Task Scoped_quotas_count_only_the_pods_in_their_scope()
    {
        var ns = await Quotas.NamespaceAsync(_client, "qa-scopes");
        await Quotas.CreateAsync(_client, ns, "best-effort", new() { ["pods"] = "1" }, ["BestEffort"]);
        await _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("free"), ns);

        var refusal = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("free-too"), ns));
        await _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("paid", new() { ["cpu"] = "100m" }), ns);

        Assert.Equal("pods \"free-too\" is forbidden: exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1", refusal);
        Assert.Equal(2, (await _client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count);
        var quota = await Quotas.WaitForUsedAsync(_client, ns, "best-effort", "pods", "1");
        Assert.Equal("1", quota.Status.Hard["pods"].ToString());
    }

    [Fact]
    public async Task A_statefulset_beyond_its_quota_reports_its_FailedCreate_in_its_controllers_words()
    {
        var ns = await Quotas.NamespaceAsync(_client, "qa-statefulset");
        await Quotas.CreateAsync(_client, ns, "none", new() { ["pods"] = "0" });

        await _client.AppsV1.CreateNamespacedStatefulSetAsync(Manifests.StatefulSet("db", 1), ns);

        Corev1Event? failure = null;
        await Wait.ForAsync(async () => (failure = (await _client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "reason=FailedCreate")).Items.FirstOrDefault()) is not null,
            "the StatefulSet's FailedCreate event");
        Assert.Equal(("Warning", "StatefulSet", "db"), (failure!.Type, failure.InvolvedObject.Kind, failure.InvolvedObject.Name));
        Assert.Equal("create Pod db-0 in StatefulSet db failed error: pods \"db-0\" is forbidden: exceeded quota: none, requested: pods=1, used: pods=0, limited: pods=0", failure.Message);
    }

    private static V1Service Service(string name, string type, params int[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec { Type = type, Ports = [.. ports.Select(p => new V1ServicePort { Name = $"p{p}", Port = p })] },
    };

    private static V1PersistentVolumeClaim Claim(string name, string storage, string? storageClass) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(storage) } },
        },
    };
}
