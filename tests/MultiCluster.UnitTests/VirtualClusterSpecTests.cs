using MultiCluster.Core.VirtualClusters;

namespace MultiCluster.UnitTests;

public sealed class VirtualClusterSpecTests
{
    private static VirtualClusterSpec Spec(string name = "team-a") => new() { Host = "prod", Name = name };

    [Fact]
    public void The_defaults_are_valid_and_put_the_vcluster_in_its_own_namespace()
    {
        Assert.Empty(VirtualClusterValidation.Validate(Spec()));
        Assert.Equal("vcluster-team-a", Spec().EffectiveNamespace);
        Assert.Equal((10m, 20m * 1024 * 1024 * 1024), Spec().RequestedCapacity);
    }

    [Theory]
    [InlineData("", "needs a name")]
    [InlineData("Team-A", "not a valid vCluster name")]
    [InlineData("1team", "starting with a letter")]
    [InlineData("team_a", "not a valid vCluster name")]
    public void A_bad_name_is_refused_in_words(string name, string words)
    {
        Assert.Contains(VirtualClusterValidation.Validate(Spec(name)), p => p.Contains(words, StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_past_52_characters_is_refused_with_its_length()
    {
        var name = new string('a', 53);

        Assert.Contains(VirtualClusterValidation.Validate(Spec(name)), p => p.Contains("at most 52 characters", StringComparison.Ordinal) && p.Contains("has 53", StringComparison.Ordinal));
        Assert.Empty(VirtualClusterValidation.Validate(Spec(new string('a', 52)) with { Namespace = "tenant" }));
    }

    [Fact]
    public void Quotas_versions_namespaces_and_labels_are_checked()
    {
        var spec = Spec() with
        {
            Namespace = "kube-system",
            KubernetesVersion = "1.31",
            Quota = new Dictionary<string, string> { ["requests.cpu"] = "ten" },
            DefaultRequests = new Dictionary<string, string> { ["cpu"] = "2" },
            DefaultLimits = new Dictionary<string, string> { ["cpu"] = "1" },
            Labels = new Dictionary<string, string> { [VirtualClusterLabels.HostCluster] = "elsewhere" },
            ServiceType = "ExternalName",
        };

        var problems = VirtualClusterValidation.Validate(spec);

        Assert.Contains(problems, p => p.Contains("does not go into 'kube-system'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'1.31' is not a Kubernetes version", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("The quota of requests.cpu is 'ten'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("default request of cpu (2) is above its default limit (1)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("multicluster.io/host-cluster is set by the dashboard", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("not 'ExternalName'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_node_port_or_load_balancer_must_fit_in_the_quota_around_the_vcluster()
    {
        Assert.Contains(VirtualClusterValidation.Validate(Spec() with { ServiceType = "NodePort" }), p => p.Contains("takes one of services.nodeports, but its quota allows 0", StringComparison.Ordinal));
        var noBalancers = new Dictionary<string, string>(VirtualClusterIsolation.DefaultQuota) { ["services.loadbalancers"] = "0" };
        Assert.Contains(VirtualClusterValidation.Validate(Spec() with { Quota = noBalancers }), p => p.Contains("services.loadbalancers", StringComparison.Ordinal));
        Assert.Empty(VirtualClusterValidation.Validate(Spec() with { ServiceType = "ClusterIP" }));
    }

    [Fact]
    public void Without_isolation_the_quota_is_neither_checked_nor_counted()
    {
        var spec = Spec() with { Isolation = false, Quota = new Dictionary<string, string> { ["requests.cpu"] = "ten" } };

        Assert.Empty(VirtualClusterValidation.Validate(spec));
        Assert.Equal((0m, 0m), spec.RequestedCapacity);
    }

    [Fact]
    public void The_registry_labels_say_where_the_vcluster_runs_over_the_users_own()
    {
        var labels = VirtualClusterLabels.For("prod", "vcluster-a", "a", new Dictionary<string, string> { ["env"] = "dev" });

        Assert.Equal("true", labels[VirtualClusterLabels.VirtualCluster]);
        Assert.Equal("dev", labels["env"]);
        Assert.Equal(("prod", "vcluster-a", "a"), VirtualClusterLabels.HostOf(labels));
        Assert.Null(VirtualClusterLabels.HostOf(new Dictionary<string, string> { ["env"] = "dev" }));
    }

    [Fact]
    public void The_endpoint_prefers_the_exported_server_then_the_load_balancer_then_a_node_port_then_the_hosts_dns()
    {
        var all = new VirtualClusterExposure("https://vc.example.com", ("127.0.0.1", 40123), ("10.0.0.5", 31443), true);

        Assert.Equal(new Uri("https://vc.example.com"), VirtualClusterEndpoint.Choose("a", "ns", all).Server);
        Assert.Equal(new Uri("https://127.0.0.1:40123"), VirtualClusterEndpoint.Choose("a", "ns", all with { ExportedServer = null }).Server);
        Assert.Equal(new Uri("https://lb.example.com:443"), VirtualClusterEndpoint.Choose("a", "ns", all with { ExportedServer = null, LoadBalancer = ("lb.example.com", null) }).Server);
        Assert.Equal(new Uri("https://10.0.0.5:31443"), VirtualClusterEndpoint.Choose("a", "ns", all with { ExportedServer = null, LoadBalancer = null }).Server);
        Assert.Equal(new Uri("https://a.ns:443"), VirtualClusterEndpoint.Choose("a", "ns", all with { ExportedServer = null, LoadBalancer = null, NodePort = null }).Server);
        var (none, problem) = VirtualClusterEndpoint.Choose("a", "ns", new VirtualClusterExposure(null, null, null, false));
        Assert.Null(none);
        Assert.Contains("cannot be reached from the dashboard", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_clis_paused_date_is_unix_seconds()
    {
        var at = new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero);

        Assert.Equal("1796450400", VirtualClusterNames.FormatPausedDate(at));
        Assert.Equal(at, VirtualClusterNames.ParsePausedDate("1796450400"));
        Assert.Equal(at, VirtualClusterNames.ParsePausedDate("2026-12-05T06:00:00Z"));
        Assert.Null(VirtualClusterNames.ParsePausedDate("soon"));
    }
}

public sealed class VirtualClusterIsolationPlannerTests
{
    [Fact]
    public void The_engine_writes_the_quota_and_limit_range_named_after_the_vcluster_where_its_namespace_exists()
    {
        var spec = VirtualClusterIsolationSpec.Of(new VirtualClusterSpec { Host = "prod", Name = "team-a" });
        var other = spec with { Host = "dev" };
        var waiting = spec with { Name = "team-b", Namespace = "vcluster-team-b" };
        var namespaces = new[] { new MultiCluster.Core.Reconcile.NamespaceFacts("prod", "vcluster-team-a", new Dictionary<string, string>()) };

        var plan = VirtualClusterIsolationPlanner.Plan([spec, other, waiting], new MultiCluster.Core.Reconcile.ClusterFacts("prod", new Dictionary<string, string>()), namespaces);

        Assert.Equal(["LimitRange vc-team-a", "ResourceQuota vc-team-a"], plan.Desired.Select(o => $"{o.Kind} {o.Name}").Order());
        Assert.All(plan.Desired, o => Assert.Equal(("prod", "vcluster-team-a", "team-a"), (o.Cluster, o.Namespace, o.Owner(VirtualClusterIsolationPlanner.OwnerKind))));
        var quota = plan.Desired.Single(o => o.Kind == "ResourceQuota");
        Assert.Equal("20Gi", quota.Fields["spec.hard.requests.memory"]);
        Assert.Equal(MultiCluster.Core.Reconcile.PolicyMode.Enforce, plan.Modes["team-a"]);
    }
}
