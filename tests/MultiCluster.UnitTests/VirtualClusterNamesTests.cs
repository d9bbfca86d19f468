using MultiCluster.Core.VirtualClusters;

namespace MultiCluster.UnitTests;

public sealed class VirtualClusterNamesTests
{
    [Fact]
    public void A_synced_pod_is_named_as_the_syncer_names_it()
    {
        Assert.Equal("web-7d9f8b6c5d-x2k9p-x-default-x-team-a", VirtualClusterNames.SyncedName("web-7d9f8b6c5d-x2k9p", "default", "team-a"));
    }

    [Fact]
    public void Past_63_characters_the_name_is_cut_at_52_and_ends_with_10_hex_of_its_sha256()
    {
        // Golden values from vcluster's SafeConcatName (same input, same bytes).
        var name = VirtualClusterNames.SyncedName("checkout-payments-api-7d9f8b6c5d-x2k9p", "payments-production", "tenant-one");

        Assert.Equal("checkout-payments-api-7d9f8b6c5d-x2k9p-x-payments-pr-2d34dbe9bc", name);
        Assert.Equal(63, name.Length);
    }

    [Fact]
    public void A_cut_that_leaves_a_dot_before_the_digest_drops_the_dot()
    {
        Assert.Equal(new string('a', 51) + "-c9e2d91fff", VirtualClusterNames.SyncedName(new string('a', 51) + ".bbbb", "default", "team-a"));
    }

    [Fact]
    public void The_hosts_objects_carry_the_charts_names()
    {
        Assert.Equal(
            ("vcluster-dev", "dev-headless", "vc-dev", "vc-config-dev", "vc-dev", "vc-work-dev", "vc-cp-dev", "data-dev-0", "vcluster_dev_vcluster-dev_prod-eu"),
            (VirtualClusterNames.DefaultNamespace("dev"), VirtualClusterNames.HeadlessService("dev"), VirtualClusterNames.ServiceAccount("dev"),
                VirtualClusterNames.ConfigSecret("dev"), VirtualClusterNames.KubeconfigSecret("dev"), VirtualClusterNames.WorkloadNetworkPolicy("dev"),
                VirtualClusterNames.ControlPlaneNetworkPolicy("dev"), VirtualClusterNames.DataVolumeClaim("dev"),
                VirtualClusterNames.Context("dev", "vcluster-dev", "prod-eu")));
        Assert.Equal(["app=vcluster", "release=dev"], VirtualClusterNames.Labels("dev").Select(l => $"{l.Key}={l.Value}"));
    }

    [Theory]
    [InlineData("true", 0, null, "Paused")]
    [InlineData("true", 1, "Running", "Paused")]
    [InlineData(null, 1, "Running", "Running")]
    [InlineData(null, 1, "CrashLoopBackOff", "CrashLoopBackOff")]
    [InlineData(null, 0, null, "ScaledDown")]
    [InlineData(null, 1, null, "Unknown")]
    public void The_status_follows_the_clis_rules(string? paused, int replicas, string? podStatus, string expected)
    {
        var annotations = paused is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [VirtualClusterNames.PausedAnnotation] = paused };

        Assert.Equal(expected, VirtualClusterStatus.Of(annotations, replicas, podStatus));
    }

    [Fact]
    public void Isolation_starts_from_vclusters_defaults()
    {
        Assert.Equal(15, VirtualClusterIsolation.DefaultQuota.Count);
        Assert.Equal(("10", "20", "0", "20"), (VirtualClusterIsolation.DefaultQuota["requests.cpu"], VirtualClusterIsolation.DefaultQuota["limits.cpu"],
            VirtualClusterIsolation.DefaultQuota["services.nodeports"], VirtualClusterIsolation.DefaultQuota["count/pods"]));
        Assert.Equal(("1", "512Mi", "100m", "128Mi"), (VirtualClusterIsolation.DefaultLimits["cpu"], VirtualClusterIsolation.DefaultLimits["memory"],
            VirtualClusterIsolation.DefaultRequests["cpu"], VirtualClusterIsolation.DefaultRequests["memory"]));
    }
}
