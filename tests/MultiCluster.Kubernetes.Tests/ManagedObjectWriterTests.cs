using k8s;
using k8s.Models;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The engine's apply step for quota objects, against a simulated cluster over HTTP with the real client.</summary>
public sealed class ManagedObjectWriterTests : IAsyncLifetime
{
    private static readonly QuotaPolicy TeamDefaults = new()
    {
        Name = "team-defaults",
        Hard = new Dictionary<string, string> { ["requests.cpu"] = "20", ["pods"] = "100" },
        Limits = [new LimitRangeItem { Type = LimitRangeItem.Container, Default = new Dictionary<string, string> { ["cpu"] = "1", ["memory"] = "512Mi" }, DefaultRequest = new Dictionary<string, string> { ["cpu"] = "100m" } }],
        Generation = 4,
    };

    private SimulatorHost _simulator = default!;
    private k8s.Kubernetes _client = default!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "quota", Nodes = 1, Pods = 0 }] });
        _client = new k8s.Kubernetes(_simulator["quota"].CreateClientConfiguration());
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Applied_objects_are_in_sync_an_edit_is_drift_that_the_next_apply_repairs_and_a_deletion_is_missing()
    {
        var desired = QuotaPlanner.ObjectsOf(TeamDefaults, "quota", "team-a").ToList();
        foreach (var target in desired)
        {
            Assert.Equal(TargetStatus.InSync, (await ManagedObjectWriter.ApplyAsync(_client, target, QuotaPolicy.OwnerKind)).Status);
        }
        var quota = await _client.CoreV1.ReadNamespacedResourceQuotaAsync("mc-team-defaults", "team-a");
        Assert.Equal(("multicluster", "team-defaults", "4"), (quota.Metadata.Labels["app.kubernetes.io/managed-by"], quota.Metadata.Labels["multicluster.io/policy"], quota.Metadata.Annotations["multicluster.io/generation"]));
        var limits = await _client.CoreV1.ReadNamespacedLimitRangeAsync("mc-team-defaults", "team-a");
        Assert.Equal("512Mi", limits.Spec.Limits.Single(l => l.Type == "Container").DefaultProperty["memory"].ToString());

        // Someone raises the pod limit behind the dashboard's back, with a patch as kubectl edit sends (the quota
        // controller writes the status meanwhile, so a read-then-replace could meet a newer version).
        await _client.CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch("""{"spec":{"hard":{"pods":"500"}}}""", V1Patch.PatchType.MergePatch), "mc-team-defaults", "team-a");
        var edited = await ManagedObjectWriter.ReadAsync(_client, "quota", "ResourceQuota", "team-a", "mc-team-defaults");
        var drift = TargetDiff.Judge(desired[0], edited, QuotaPolicy.OwnerKind, reachable: true, written: true);
        Assert.Equal(TargetStatus.Drifted, drift.Status);
        Assert.Equal([new FieldDifference("spec.hard.pods", "100", "500")], drift.Differences);

        Assert.Equal(TargetStatus.InSync, (await ManagedObjectWriter.ApplyAsync(_client, desired[0], QuotaPolicy.OwnerKind)).Status);
        Assert.Equal("100", (await _client.CoreV1.ReadNamespacedResourceQuotaAsync("mc-team-defaults", "team-a")).Spec.Hard["pods"].ToString());

        await _client.CoreV1.DeleteNamespacedLimitRangeAsync("mc-team-defaults", "team-a");
        var gone = await ManagedObjectWriter.ReadAsync(_client, "quota", "LimitRange", "team-a", "mc-team-defaults");
        Assert.Equal(TargetStatus.Missing, TargetDiff.Judge(desired[1], gone, QuotaPolicy.OwnerKind, reachable: true, written: true).Status);
    }

    [Fact]
    public async Task An_object_of_our_name_that_is_not_ours_is_a_conflict_and_is_neither_overwritten_nor_deleted()
    {
        await _client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "mc-team-defaults", Labels = new Dictionary<string, string> { ["owner"] = "team-b" } },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("7") } },
        }, "team-b");
        var desired = QuotaPlanner.ObjectsOf(TeamDefaults, "quota", "team-b").First();

        var state = await ManagedObjectWriter.ApplyAsync(_client, desired, QuotaPolicy.OwnerKind);

        Assert.Equal(TargetStatus.Conflict, state.Status);
        Assert.Contains("is not written by this policy", state.Message, StringComparison.Ordinal);
        Assert.False(await ManagedObjectWriter.DeleteIfOursAsync(_client, "ResourceQuota", "team-b", "mc-team-defaults", QuotaPolicy.OwnerKind, "team-defaults"));
        Assert.Equal("7", (await _client.CoreV1.ReadNamespacedResourceQuotaAsync("mc-team-defaults", "team-b")).Spec.Hard["pods"].ToString());
    }

    [Fact]
    public async Task Our_objects_are_deleted_and_a_refused_write_is_an_error_in_the_api_servers_words()
    {
        var desired = QuotaPlanner.ObjectsOf(TeamDefaults, "quota", "team-a").First();
        await ManagedObjectWriter.ApplyAsync(_client, desired, QuotaPolicy.OwnerKind);
        Assert.True(await ManagedObjectWriter.DeleteIfOursAsync(_client, "ResourceQuota", "team-a", "mc-team-defaults", QuotaPolicy.OwnerKind, "team-defaults"));
        Assert.Null(await ManagedObjectWriter.ReadAsync(_client, "quota", "ResourceQuota", "team-a", "mc-team-defaults"));

        var nowhere = await ManagedObjectWriter.ApplyAsync(_client, desired with { Namespace = "no-such-namespace" }, QuotaPolicy.OwnerKind);
        Assert.Equal(TargetStatus.Error, nowhere.Status);
        Assert.Contains("no-such-namespace", nowhere.Message, StringComparison.Ordinal);
    }
}
