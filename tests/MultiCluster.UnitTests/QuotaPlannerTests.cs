using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.UnitTests;

public sealed class QuotaPlannerTests
{
    private static readonly IReadOnlyList<ClusterFacts> Clusters =
    [
        new("prod-eu", L(("env", "prod"))), new("prod-us", L(("env", "prod"))), new("dev", L(("env", "dev"))),
    ];

    private static readonly IReadOnlyList<NamespaceFacts> Namespaces =
    [
        new("prod-eu", "team-a", L(("team", "a"))), new("prod-eu", "team-b", L(("team", "b"))), new("prod-eu", "kube-system", L()),
        new("prod-eu", "tools", L(("team", "platform"))), new("prod-us", "team-a", L(("team", "a"))), new("dev", "team-a", L(("team", "a"))),
    ];

    private static readonly QuotaPolicy TeamDefaults = new()
    {
        Name = "team-defaults",
        ClusterSelector = "env=prod",
        NamespacePatterns = ["team-*"],
        Hard = new Dictionary<string, string> { ["requests.cpu"] = "20", ["pods"] = "100" },
        Scopes = ["NotTerminating"],
        Limits = [new LimitRangeItem { Type = LimitRangeItem.Container, Default = new Dictionary<string, string> { ["cpu"] = "1" } }],
        Generation = 3,
    };

    [Fact]
    public void A_policy_reaches_matching_namespaces_of_matching_clusters_and_never_the_system_ones_unless_named()
    {
        Assert.Equal(["prod-eu/team-a", "prod-eu/team-b", "prod-us/team-a"], Names(QuotaPlanner.Targets(TeamDefaults, Clusters, Namespaces)));
        Assert.Equal(["prod-eu/team-a", "prod-eu/team-b", "prod-eu/tools", "prod-us/team-a"],
            Names(QuotaPlanner.Targets(TeamDefaults with { NamespacePatterns = [], NamespaceSelector = "team" }, Clusters, Namespaces)));
        Assert.Equal(["prod-eu/kube-system"], Names(QuotaPlanner.Targets(TeamDefaults with { NamespacePatterns = ["kube-system"] }, Clusters, Namespaces)));
        Assert.Equal(["dev/team-a"], Names(QuotaPlanner.Targets(TeamDefaults with { ClusterSelector = null, Clusters = ["dev"] }, Clusters, Namespaces)));
    }

    [Fact]
    public void Each_target_gets_a_labelled_resource_quota_and_limit_range_named_after_the_policy()
    {
        var plan = QuotaPlanner.Plan([TeamDefaults], Clusters, Namespaces);

        Assert.Equal(6, plan.Desired.Count);
        var quota = plan.Desired.First(o => o.Kind == "ResourceQuota");
        Assert.Equal(("prod-eu", "team-a", "mc-team-defaults"), (quota.Cluster, quota.Namespace, quota.Name));
        Assert.Equal("team-defaults", quota.Owner(QuotaPolicy.OwnerKind));
        Assert.Equal(3, quota.Generation);
        Assert.Equal(new Dictionary<string, string> { ["spec.hard.pods"] = "100", ["spec.hard.requests.cpu"] = "20", ["spec.scopes"] = "NotTerminating" }, quota.Fields);
        var limits = plan.Desired.First(o => o.Kind == "LimitRange");
        Assert.Equal("1", limits.Fields["spec.limits[Container].default.cpu"]);
    }

    [Fact]
    public void Equal_priorities_over_one_namespace_are_an_overlap_and_a_higher_priority_wins_where_they_meet()
    {
        var platform = TeamDefaults with { Name = "platform", ClusterSelector = null, Clusters = ["prod-eu"], NamespacePatterns = ["team-a", "tools"] };

        Assert.Equal([new QuotaOverlap("platform", "team-defaults", "prod-eu", "team-a")], QuotaPlanner.Overlaps(platform, [TeamDefaults], Clusters, Namespaces));

        var plan = QuotaPlanner.Plan([TeamDefaults, platform with { Priority = 10 }], Clusters, Namespaces);
        Assert.Equal("platform", plan.Desired.First(o => o.Cluster == "prod-eu" && o.Namespace == "team-a").Owner(QuotaPolicy.OwnerKind));
        Assert.Equal([new QuotaOverlap("team-defaults", "platform", "prod-eu", "team-a")], plan.Shadowed);
    }

    private static IReadOnlyDictionary<string, string> L(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value);

    private static List<string> Names(IEnumerable<NamespaceFacts> namespaces) => [.. namespaces.Select(n => $"{n.Cluster}/{n.Name}")];
}
