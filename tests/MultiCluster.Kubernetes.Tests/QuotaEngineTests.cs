using k8s;
using k8s.Models;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The reconciler engine with quota policies, against simulated clusters over HTTP with the real client.</summary>
public sealed class QuotaEngineTests : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    private static readonly QuotaPolicy TeamDefaults = new()
    {
        Name = "team-defaults",
        ClusterSelector = "env=prod",
        NamespacePatterns = ["team-*"],
        Hard = new Dictionary<string, string> { ["requests.cpu"] = "20", ["requests.memory"] = "40Gi", ["pods"] = "100" },
        Limits = [new LimitRangeItem { Type = LimitRangeItem.Container, Default = new Dictionary<string, string> { ["cpu"] = "1" }, DefaultRequest = new Dictionary<string, string> { ["cpu"] = "100m" } }],
    };

    private SimulatedQuotaFleet _fleet = default!;

    public async Task InitializeAsync()
    {
        _fleet = await SimulatedQuotaFleet.StartAsync(("prod-eu", "env=prod"), ("prod-us", "env=prod"), ("dev", "env=dev"));
        foreach (var cluster in new[] { "prod-eu", "prod-us", "dev" })
        {
            await _fleet.CreateNamespaceAsync(cluster, "team-a", "team=a");
            await _fleet.CreateNamespaceAsync(cluster, "sandbox");
        }
    }

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task A_policy_writes_its_objects_into_every_matching_namespace_and_only_there()
    {
        _fleet.Policies.Set([TeamDefaults]);

        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
        await _fleet.WaitForAsync("prod-us", "team-defaults", "team-a", TargetStatus.InSync);
        using var eu = _fleet.Client("prod-eu");
        var quota = await eu.CoreV1.ReadNamespacedResourceQuotaAsync("mc-team-defaults", "team-a");
        Assert.Equal("40Gi", quota.Spec.Hard["requests.memory"].ToString());
        Assert.Equal(("multicluster", "team-defaults", "1"), (quota.Metadata.Labels["app.kubernetes.io/managed-by"], quota.Metadata.Labels["multicluster.io/policy"], quota.Metadata.Annotations["multicluster.io/generation"]));
        Assert.Equal("100m", (await eu.CoreV1.ReadNamespacedLimitRangeAsync("mc-team-defaults", "team-a")).Spec.Limits[0].DefaultRequest["cpu"].ToString());

        // Not in sandbox (the pattern), not in kube-system, not in the dev cluster (the selector).
        Assert.Equal(["prod-eu/team-a", "prod-us/team-a"], _fleet.Targets.Select(t => $"{t.Cluster}/{t.Namespace}").Order(StringComparer.Ordinal));
        Assert.Empty((await eu.CoreV1.ListNamespacedResourceQuotaAsync("sandbox")).Items);
        using var dev = _fleet.Client("dev");
        Assert.Empty((await dev.CoreV1.ListResourceQuotaForAllNamespacesAsync()).Items);
        // The LimitRange's defaults are there before the quota that would refuse pods without requests.
        var writes = _fleet["prod-eu"].Requests.Recent.Where(r => r.Method == "PATCH" && r.Path.Contains("fieldManager=multicluster", StringComparison.Ordinal)).Select(r => r.Path.Split('?')[0]).ToList();
        Assert.Equal(["/api/v1/namespaces/team-a/limitranges/mc-team-defaults", "/api/v1/namespaces/team-a/resourcequotas/mc-team-defaults"],
            writes.Select(w => w[w.IndexOf("/api/", StringComparison.Ordinal)..]));
        await Eventually.WaitForAsync(() => _fleet.Journal.Entries.Sum(e => e.Created) >= 4, Settle, "four creations in the journal");
        Assert.Equal((4, 0, 0), (_fleet.Journal.Entries.Sum(e => e.Created), _fleet.Journal.Entries.Sum(e => e.Repaired), _fleet.Journal.Entries.Sum(e => e.Deleted)));
        Assert.All(_fleet.Journal.Entries, e => Assert.Equal("team-defaults", e.Owner));
    }

    [Fact]
    public async Task A_namespace_created_later_gets_its_quota_and_one_relabelled_out_loses_ours()
    {
        _fleet.Policies.Set([TeamDefaults with { NamespacePatterns = [], NamespaceSelector = "team" }]);
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);

        await _fleet.CreateNamespaceAsync("prod-eu", "payments", "team=payments");
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "payments", TargetStatus.InSync);

        using var eu = _fleet.Client("prod-eu");
        await eu.CoreV1.PatchNamespaceAsync(new V1Patch("""{"metadata":{"labels":{"team":null}}}""", V1Patch.PatchType.MergePatch), "payments");
        await Eventually.WaitForAsync(() => _fleet.Target("prod-eu", "team-defaults", "payments") is null, Settle, "payments to leave the policy");
        await Eventually.WaitForAsync(() => eu.CoreV1.ListNamespacedResourceQuota("payments").Items.Count == 0 && eu.CoreV1.ListNamespacedLimitRange("payments").Items.Count == 0,
            Settle, "our objects to be deleted from payments");
    }

    [Fact]
    public async Task A_cluster_relabelled_into_the_selector_gets_everything()
    {
        _fleet.Policies.Set([TeamDefaults]);
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
        Assert.Null(_fleet.Target("dev", "team-defaults", "team-a"));

        await _fleet.RelabelAsync("dev", "env=prod");

        await _fleet.WaitForAsync("dev", "team-defaults", "team-a", TargetStatus.InSync);
        using var dev = _fleet.Client("dev");
        Assert.Equal("20", (await dev.CoreV1.ReadNamespacedResourceQuotaAsync("mc-team-defaults", "team-a")).Spec.Hard["requests.cpu"].ToString());
    }

    [Fact]
    public async Task An_edit_behind_the_dashboards_back_is_repaired_in_Enforce_mode_and_a_deletion_is_recreated()
    {
        _fleet.Policies.Set([TeamDefaults]);
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
        using var eu = _fleet.Client("prod-eu");

        await eu.CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch("""{"spec":{"hard":{"pods":"500"}}}""", V1Patch.PatchType.MergePatch), "mc-team-defaults", "team-a");
        await Eventually.WaitForAsync(() => eu.CoreV1.ReadNamespacedResourceQuota("mc-team-defaults", "team-a").Spec.Hard["pods"].ToString() == "100", Settle, "the pod limit repaired to 100");
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);

        await eu.CoreV1.DeleteNamespacedLimitRangeAsync("mc-team-defaults", "team-a");
        await Eventually.WaitForAsync(() => eu.CoreV1.ListNamespacedLimitRange("team-a").Items.Any(l => l.Metadata.Name == "mc-team-defaults"), Settle, "the LimitRange recreated");
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
        await Eventually.WaitForAsync(() => _fleet.Journal.Entries.Where(e => e.Cluster == "prod-eu").Sum(e => e.Repaired) >= 2, Settle, "two repairs in prod-eu's journal");
        Assert.Equal((2, 2), (_fleet.Journal.Entries.Where(e => e.Cluster == "prod-eu").Sum(e => e.Created), _fleet.Journal.Entries.Where(e => e.Cluster == "prod-eu").Sum(e => e.Repaired)));
    }

    [Fact]
    public async Task In_Inform_mode_drift_is_shown_with_its_difference_and_kept_until_a_person_asks_for_the_repair()
    {
        _fleet.Policies.Set([TeamDefaults]);
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
        _fleet.Policies.Set([TeamDefaults with { Mode = PolicyMode.Inform }]);
        using var eu = _fleet.Client("prod-eu");

        await eu.CoreV1.PatchNamespacedResourceQuotaAsync(new V1Patch("""{"spec":{"hard":{"pods":"500"}}}""", V1Patch.PatchType.MergePatch), "mc-team-defaults", "team-a");

        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.Drifted);
        var target = _fleet.Target("prod-eu", "team-defaults", "team-a")!;
        Assert.Equal([new FieldDifference("spec.hard.pods", "100", "500")], target.Objects.Single(o => o.Kind == "ResourceQuota").State.Differences);
        Assert.Equal("500", (await eu.CoreV1.ReadNamespacedResourceQuotaAsync("mc-team-defaults", "team-a")).Spec.Hard["pods"].ToString());

        Assert.True(_fleet.Engine.Repair("prod-eu", "team-defaults", "team-a"));
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
        Assert.Equal("100", (await eu.CoreV1.ReadNamespacedResourceQuotaAsync("mc-team-defaults", "team-a")).Spec.Hard["pods"].ToString());
    }

    [Fact]
    public async Task An_object_of_our_name_that_is_not_ours_is_a_conflict_and_stays_untouched()
    {
        using var eu = _fleet.Client("prod-eu");
        await eu.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "mc-team-defaults", Labels = new Dictionary<string, string> { ["owner"] = "finance" } },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("7") } },
        }, "team-a");

        _fleet.Policies.Set([TeamDefaults]);

        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.Conflict);
        await _fleet.WaitForAsync("prod-us", "team-defaults", "team-a", TargetStatus.InSync);
        Assert.Contains("not written by this policy", _fleet.Target("prod-eu", "team-defaults", "team-a")!.Message, StringComparison.Ordinal);
        var untouched = await eu.CoreV1.ReadNamespacedResourceQuotaAsync("mc-team-defaults", "team-a");
        Assert.Equal(("finance", "7"), (untouched.Metadata.Labels["owner"], untouched.Spec.Hard["pods"].ToString()));
        Assert.False(untouched.Spec.Hard.ContainsKey("requests.cpu"));

        // Deleting the policy leaves the foreign object where it is.
        _fleet.Policies.Set([]);
        await Eventually.WaitForAsync(() => _fleet.Targets.Count == 0, Settle, "no targets left");
        using var us = _fleet.Client("prod-us");
        await Eventually.WaitForAsync(() => us.CoreV1.ListNamespacedResourceQuota("team-a").Items.Count == 0, Settle, "ours gone from prod-us");
        Assert.Equal("7", (await eu.CoreV1.ReadNamespacedResourceQuotaAsync("mc-team-defaults", "team-a")).Spec.Hard["pods"].ToString());
    }

    [Fact]
    public async Task A_cluster_offline_while_applying_waits_as_Pending_and_converges_when_it_returns()
    {
        await _fleet["prod-us"].Faults.TakeOfflineAsync();
        await Eventually.WaitForAsync(() => _fleet.Store.Cluster("prod-us")?.Health == Core.Fleet.ClusterHealth.Unreachable, TimeSpan.FromSeconds(20), "prod-us to be Unreachable");

        _fleet.Policies.Set([TeamDefaults]);

        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
        await _fleet.WaitForAsync("prod-us", "team-defaults", "team-a", TargetStatus.Pending);
        Assert.Contains("cannot be reached", _fleet.Target("prod-us", "team-defaults", "team-a")!.Message, StringComparison.Ordinal);

        await _fleet["prod-us"].Faults.BringOnlineAsync();
        await _fleet.WaitForAsync("prod-us", "team-defaults", "team-a", TargetStatus.InSync, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_cluster_that_refuses_writes_shows_Error_with_its_words()
    {
        await _fleet.RelabelAsync("prod-us", "env=prod", token: _fleet["prod-us"].ViewerToken);
        await Eventually.WaitForAsync(() => _fleet.Store.Cluster("prod-us")?.Health == Core.Fleet.ClusterHealth.Synced, TimeSpan.FromSeconds(20), "prod-us watched as the viewer");

        _fleet.Policies.Set([TeamDefaults]);

        await _fleet.WaitForAsync("prod-us", "team-defaults", "team-a", TargetStatus.Error);
        Assert.Contains("forbidden", _fleet.Target("prod-us", "team-defaults", "team-a")!.Message, StringComparison.Ordinal);
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
        await Eventually.WaitForAsync(() => _fleet.Journal.Entries.Any(e => e.Cluster == "prod-us" && e.Failed > 0 && e.LastError!.Contains("forbidden", StringComparison.Ordinal)),
            Settle, "the refusal in the journal");
    }

    [Fact]
    public async Task A_restarted_engine_derives_everything_again_and_writes_nothing_twice()
    {
        _fleet.Policies.Set([TeamDefaults]);
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
        await _fleet.WaitForAsync("prod-us", "team-defaults", "team-a", TargetStatus.InSync);
        await _fleet.StopEngineAsync();
        var writes = Writes();

        await _fleet.StartEngineAsync();
        await _fleet.CreateNamespaceAsync("prod-eu", "team-b");
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-b", TargetStatus.InSync);
        await _fleet.WaitForAsync("prod-us", "team-defaults", "team-a", TargetStatus.InSync);

        // Only team-b's two objects were written; what was in sync before the restart was left alone.
        Assert.Equal(writes + 2, Writes());
    }

    [Fact]
    public async Task A_server_asking_to_slow_down_is_waited_for_and_the_objects_arrive()
    {
        _fleet["prod-eu"].Faults.TooManyRequestsRatio = 1;
        _fleet["prod-eu"].Faults.RetryAfterSeconds = 1;
        _fleet.Policies.Set([TeamDefaults]);
        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.Error);

        _fleet["prod-eu"].Faults.TooManyRequestsRatio = 0;

        await _fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
    }

    /// <summary>Every write of our objects the simulated clusters served.</summary>
    private int Writes() =>
        new[] { "prod-eu", "prod-us", "dev" }.Sum(c => _fleet[c].Requests.Recent.Count(r => r.Method is "PATCH" or "POST" or "PUT" or "DELETE" && r.Path.Split('?')[0].EndsWith("/mc-team-defaults", StringComparison.Ordinal)));
}
