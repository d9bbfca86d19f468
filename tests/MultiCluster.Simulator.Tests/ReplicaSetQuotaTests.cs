using k8s;
using k8s.Models;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Tests;

namespace MultiCluster.Simulator.Tests;

/// <summary>A simulator whose clock moves only when a test advances it, so retries are counted, not timed.</summary>
public sealed class FrozenClockFixture : SimulatorFixture
{
    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override SimulatorOptions CreateOptions() => new()
    {
        UseHttps = true,
        ControllerDelay = TimeSpan.FromMilliseconds(10),
        TimeProvider = Clock,
        Clusters = [new ClusterOptions { Name = "frozen", Nodes = 2 }],
    };
}

/// <summary>The replica set controller against a quota, as kube-controller-manager behaves: FailedCreate Warnings, a ReplicaFailure condition, retries that wait.</summary>
public sealed class ReplicaSetQuotaTests(FrozenClockFixture fixture) : IClassFixture<FrozenClockFixture>
{
    private readonly Kubernetes _client = fixture.CreateClient();

    [Fact]
    public async Task A_refused_replica_is_retried_after_a_backoff_not_in_a_loop_and_created_once_the_quota_grows()
    {
        var ns = await Quotas.NamespaceAsync(_client, "rs-quota");
        await Quotas.CreateAsync(_client, ns, "pods", new() { ["pods"] = "1" });

        await _client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("web", 2), ns);

        var replicaSet = await WaitForReplicaSetAsync(ns, r => r.Status?.ReadyReplicas == 1 && r.Status.Conditions?.Any(c => c.Type == "ReplicaFailure") == true, "one ready replica and a ReplicaFailure");
        var condition = replicaSet.Status.Conditions.Single(c => c.Type == "ReplicaFailure");
        Assert.Equal(("True", "FailedCreate"), (condition.Status, condition.Reason));
        Assert.Matches(@"^pods ""web-[a-z0-9]{5}"" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1$", condition.Message);
        var events = await FailedCreatesAsync(ns);
        Assert.All(events, e => Assert.Equal("Warning", e.Type));
        Assert.Matches(@"^Error creating: pods ""web-[a-z0-9]{5}"" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=1, limited: pods=1$", events[0].Message);

        // With the clock standing still, the controller does not try again, however many passes it makes.
        await PassesAsync("before");
        var attempts = Attempts(await FailedCreatesAsync(ns));
        await PassesAsync("after");
        Assert.Equal(attempts, Attempts(await FailedCreatesAsync(ns)));

        // Once its backoff (at most 30 s) has passed, it tries once more.
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        await Wait.ForAsync(async () => Attempts(await FailedCreatesAsync(ns)) == attempts + 1, "one more attempt after the backoff");

        await _client.CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch("{\"spec\":{\"hard\":{\"pods\":\"2\"}}}", V1Patch.PatchType.MergePatch), "pods", ns);
        await Quotas.WaitAsync(_client, ns, "pods", q => q.Status?.Hard?["pods"].ToString() == "2", "the quota raised to 2 pods");
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));

        var recovered = await WaitForReplicaSetAsync(ns, r => r.Status?.ReadyReplicas == 2, "two ready replicas");
        Assert.Null(recovered.Status.Conditions);
    }

    private async Task<V1ReplicaSet> WaitForReplicaSetAsync(string ns, Func<V1ReplicaSet, bool> condition, string what)
    {
        V1ReplicaSet? replicaSet = null;
        await Wait.ForAsync(async () => condition(replicaSet = await _client.AppsV1.ReadNamespacedReplicaSetAsync("web", ns)), what);
        return replicaSet!;
    }

    private async Task<IList<Corev1Event>> FailedCreatesAsync(string ns) =>
        (await _client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "reason=FailedCreate")).Items;

    /// <summary>Each attempt is a new Event or, once aggregated, a higher count on one.</summary>
    private static int Attempts(IEnumerable<Corev1Event> events) => events.Sum(e => e.Count ?? 1);

    /// <summary>Waits for a pod elsewhere to be scheduled and started: the controllers have made full passes since.</summary>
    private async Task PassesAsync(string name)
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod($"barrier-{name}"), "default");
        await Wait.ForAsync(async () => (await _client.CoreV1.ReadNamespacedPodAsync($"barrier-{name}", "default")).Status?.Phase == "Running", $"pod barrier-{name} running");
    }

    private static V1ReplicaSet ReplicaSet(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = Manifests.PodSpec(name),
            },
        },
    };
}
