using k8s;
using k8s.Models;

namespace MultiCluster.Simulator.Tests;

/// <summary>LimitRange admission through KubernetesClient: container defaults, then min, max and ratio, in kube-apiserver's words.</summary>
public sealed class LimitRangeTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _client = fixture.CreateClient();

    [Fact]
    public async Task Container_defaults_fill_in_missing_limits_and_requests_and_say_so()
    {
        var ns = await Quotas.NamespaceAsync(_client, "lr-defaults");
        var stored = await _client.CoreV1.CreateNamespacedLimitRangeAsync(LimitRange("defaults", new V1LimitRangeItem
        {
            Type = "Container",
            DefaultProperty = Quotas.Quantities(new() { ["cpu"] = "500m", ["memory"] = "256Mi" }),
            DefaultRequest = Quotas.Quantities(new() { ["cpu"] = "100m" }),
        }), ns);

        var pod = await _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("plain"), ns);
        var own = await _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("own", new() { ["cpu"] = "200m" }, new() { ["memory"] = "128Mi" }), ns);

        // The LimitRange itself is defaulted: a default limit without a default request requests the limit.
        Assert.Equal("256Mi", stored.Spec.Limits[0].DefaultRequest["memory"].ToString());
        var resources = pod.Spec.Containers[0].Resources;
        Assert.Equal(("500m", "256Mi"), (resources.Limits["cpu"].ToString(), resources.Limits["memory"].ToString()));
        Assert.Equal(("100m", "256Mi"), (resources.Requests["cpu"].ToString(), resources.Requests["memory"].ToString()));
        Assert.Equal("LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app", pod.Metadata.Annotations["kubernetes.io/limit-ranger"]);
        Assert.Equal("Burstable", pod.Status.QosClass);
        var ownResources = own.Spec.Containers[0].Resources;
        Assert.Equal(("200m", "128Mi"), (ownResources.Requests["cpu"].ToString(), ownResources.Requests["memory"].ToString()));
        Assert.Equal(("500m", "128Mi"), (ownResources.Limits["cpu"].ToString(), ownResources.Limits["memory"].ToString()));
        Assert.Equal("LimitRanger plugin set: cpu limit for container app", own.Metadata.Annotations["kubernetes.io/limit-ranger"]);
    }

    [Fact]
    public async Task Container_min_max_and_ratio_refuse_pods_in_the_admission_plugins_words()
    {
        var ns = await Quotas.NamespaceAsync(_client, "lr-container");
        await _client.CoreV1.CreateNamespacedLimitRangeAsync(LimitRange("bounds", new V1LimitRangeItem
        {
            Type = "Container",
            Max = Quotas.Quantities(new() { ["cpu"] = "2" }),
            Min = Quotas.Quantities(new() { ["memory"] = "64Mi" }),
            MaxLimitRequestRatio = Quotas.Quantities(new() { ["cpu"] = "2" }),
        }), ns);

        var max = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("greedy", new() { ["cpu"] = "2", ["memory"] = "64Mi" }, new() { ["cpu"] = "4" }), ns));
        var min = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("small", new() { ["cpu"] = "1", ["memory"] = "32Mi" }, new() { ["cpu"] = "1" }), ns));
        var ratio = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("bursty", new() { ["cpu"] = "250m", ["memory"] = "64Mi" }, new() { ["cpu"] = "1" }), ns));
        var several = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("everything", new() { ["cpu"] = "1" }, new() { ["cpu"] = "3" }), ns));
        await _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("fits", new() { ["cpu"] = "1", ["memory"] = "64Mi" }, new() { ["cpu"] = "2" }), ns);

        Assert.Equal("pods \"greedy\" is forbidden: maximum cpu usage per Container is 2, but limit is 4", max);
        Assert.Equal("pods \"small\" is forbidden: minimum memory usage per Container is 64Mi, but request is 32Mi", min);
        Assert.Equal("pods \"bursty\" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000", ratio);
        // The memory request comes from the LimitRange's min (its defaulted defaultRequest), so only the cpu rules are broken.
        Assert.Equal("pods \"everything\" is forbidden: [maximum cpu usage per Container is 2, but limit is 3, " +
                     "cpu max limit to request ratio per Container is 2, but provided ratio is 3.000000]", several);
    }

    [Fact]
    public async Task Pod_limits_apply_to_the_sum_of_the_containers()
    {
        var ns = await Quotas.NamespaceAsync(_client, "lr-pod");
        await _client.CoreV1.CreateNamespacedLimitRangeAsync(LimitRange("per-pod", new V1LimitRangeItem { Type = "Pod", Max = Quotas.Quantities(new() { ["memory"] = "1Gi" }) }), ns);
        var pod = Quotas.Pod("pair", limits: new() { ["memory"] = "600Mi" });
        pod.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "busybox:1.36", Resources = new V1ResourceRequirements { Limits = Quotas.Quantities(new() { ["memory"] = "600Mi" }) } });

        var refusal = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPodAsync(pod, ns));

        Assert.Equal("pods \"pair\" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1200Mi", refusal);
    }

    [Fact]
    public async Task Claim_limits_bound_the_requested_storage()
    {
        var ns = await Quotas.NamespaceAsync(_client, "lr-claims");
        await _client.CoreV1.CreateNamespacedLimitRangeAsync(LimitRange("storage", new V1LimitRangeItem
        {
            Type = "PersistentVolumeClaim",
            Min = Quotas.Quantities(new() { ["storage"] = "1Gi" }),
            Max = Quotas.Quantities(new() { ["storage"] = "10Gi" }),
        }), ns);

        var big = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("big", "20Gi"), ns));
        var tiny = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("tiny", "500Mi"), ns));
        await _client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("right", "5Gi"), ns);
        var grown = await Quotas.ForbiddenAsync(() => _client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
            new V1Patch("{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"11Gi\"}}}}", V1Patch.PatchType.MergePatch), "right", ns));

        Assert.Equal("persistentvolumeclaims \"big\" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi", big);
        Assert.Equal("persistentvolumeclaims \"tiny\" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi", tiny);
        Assert.Equal("persistentvolumeclaims \"right\" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 11Gi", grown);
    }

    [Fact]
    public async Task A_default_request_satisfies_a_quota_that_would_otherwise_refuse_the_pod()
    {
        var ns = await Quotas.NamespaceAsync(_client, "lr-quota");
        await Quotas.CreateAsync(_client, ns, "compute", new() { ["requests.cpu"] = "1", ["requests.memory"] = "1Gi" });
        var refusal = await Quotas.ForbiddenAsync(() => _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("before"), ns));
        await _client.CoreV1.CreateNamespacedLimitRangeAsync(LimitRange("defaults", new V1LimitRangeItem
        {
            Type = "Container",
            DefaultRequest = Quotas.Quantities(new() { ["cpu"] = "250m", ["memory"] = "128Mi" }),
        }), ns);

        var pod = await _client.CoreV1.CreateNamespacedPodAsync(Quotas.Pod("after"), ns);

        Assert.Equal("pods \"before\" is forbidden: failed quota: compute: must specify requests.cpu for: app; requests.memory for: app", refusal);
        Assert.Equal("250m", pod.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        var quota = await Quotas.WaitForUsedAsync(_client, ns, "compute", "requests.cpu", "250m");
        Assert.Equal("128Mi", quota.Status.Used["requests.memory"].ToString());
    }

    [Fact]
    public async Task LimitRanges_are_listed_watched_and_deleted_like_any_kind()
    {
        var ns = await Quotas.NamespaceAsync(_client, "lr-crud");
        var before = await _client.CoreV1.ListNamespacedLimitRangeAsync(ns);
        await _client.CoreV1.CreateNamespacedLimitRangeAsync(LimitRange("watched", new V1LimitRangeItem { Type = "Container", Max = Quotas.Quantities(new() { ["cpu"] = "1" }) }), ns);
        var listed = await _client.CoreV1.ListNamespacedLimitRangeAsync(ns);
        await _client.CoreV1.DeleteNamespacedLimitRangeAsync("watched", ns);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(WatchEventType Type, string Name)>();
        await foreach (var (type, item) in _client.CoreV1.WatchListNamespacedLimitRangeAsync(ns, resourceVersion: before.Metadata.ResourceVersion, cancellationToken: timeout.Token))
        {
            seen.Add((type, item.Metadata.Name));
            if (type == WatchEventType.Deleted)
            {
                break;
            }
        }

        Assert.Equal("watched", Assert.Single(listed.Items).Metadata.Name);
        Assert.Equal([(WatchEventType.Added, "watched"), (WatchEventType.Deleted, "watched")], seen);
    }

    private static V1LimitRange LimitRange(string name, V1LimitRangeItem item) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1LimitRangeSpec { Limits = [item] },
    };

    private static V1PersistentVolumeClaim Claim(string name, string storage) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = Quotas.Quantities(new() { ["storage"] = storage }) },
        },
    };
}
