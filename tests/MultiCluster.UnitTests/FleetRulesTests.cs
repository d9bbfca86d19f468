using MultiCluster.Core;
using MultiCluster.Core.Fleet;

namespace MultiCluster.UnitTests;

public sealed class FleetRulesTests
{
    private static readonly PodSummary[] Pods =
    [
        Pod("prod", "web-1", "Running", restarts: 0, labels: ("app", "web")),
        Pod("prod", "web-2", "CrashLoopBackOff", restarts: 12, labels: ("app", "web")),
        Pod("prod", "db-0", "Running", restarts: 1, labels: ("app", "db")),
        Pod("dev", "web-1", "Pending", restarts: 0, labels: ("app", "web")),
    ];

    [Fact]
    public void A_pod_query_filters_sorts_and_pages_on_the_server()
    {
        var page = new PodQuery { Cluster = "prod", LabelSelector = "app=web", SortBy = PodSort.Restarts, Descending = true, PageSize = 1 }.Run(Pods);

        Assert.Equal(2, page.Total);
        Assert.Equal("web-2", Assert.Single(page.Items).Name);
        Assert.Equal("web-1", Assert.Single(new PodQuery { Cluster = "prod", LabelSelector = "app=web", SortBy = PodSort.Restarts, Descending = true, PageSize = 1, Page = 1 }.Run(Pods).Items).Name);
    }

    [Theory]
    [InlineData(null, "CrashLoopBackOff", null, 1)]
    [InlineData("WEB", null, null, 3)]
    [InlineData(null, null, "app in (db)", 1)]
    [InlineData(null, "Pending", "app=web", 1)]
    public void A_pod_query_combines_name_search_status_and_labels(string? search, string? status, string? selector, int expected) =>
        Assert.Equal(expected, new PodQuery { Search = search, Status = status, LabelSelector = selector }.Run(Pods).Total);

    [Fact]
    public void A_bad_label_selector_is_reported_not_thrown()
    {
        var page = new PodQuery { LabelSelector = "app in (" }.Run(Pods);

        Assert.Equal(0, page.Total);
        Assert.NotNull(page.Problem);
    }

    [Theory]
    [InlineData(new[] { WatchState.Listing, WatchState.Listing }, ClusterHealth.Connecting)]
    [InlineData(new[] { WatchState.Watching, WatchState.Watching }, ClusterHealth.Synced)]
    [InlineData(new[] { WatchState.Watching, WatchState.Failing }, ClusterHealth.Degraded)]
    [InlineData(new[] { WatchState.Watching, WatchState.Listing }, ClusterHealth.Connecting)]
    [InlineData(new[] { WatchState.Unreachable, WatchState.Unreachable }, ClusterHealth.Unreachable)]
    [InlineData(new[] { WatchState.Unreachable, WatchState.Watching }, ClusterHealth.Degraded)]
    [InlineData(new[] { WatchState.Unauthorized, WatchState.Unreachable }, ClusterHealth.Unauthorized)]
    public void A_clusters_health_follows_its_kinds(WatchState[] kinds, ClusterHealth expected) =>
        Assert.Equal(expected, ClusterHealthRules.Combine([.. kinds.Select((k, i) => new KindWatchStatus($"kind{i}", k, null))]));

    [Fact]
    public void Credentials_problems_are_shown_before_others()
    {
        var problem = ClusterHealthRules.Problem(
        [
            new KindWatchStatus("events", WatchState.Failing, "500 InternalError"),
            new KindWatchStatus("pods", WatchState.Unauthorized, "401 Unauthorized"),
        ]);

        Assert.Equal("401 Unauthorized", problem);
    }

    [Fact]
    public void Only_scheduled_unfinished_pods_count_against_capacity()
    {
        var overview = ClusterOverview.Of(new ClusterSummary { Cluster = "prod" },
            [new NodeSummary { Cluster = "prod", Name = "n", Ready = true, CpuAllocatableMillis = 1000, MemoryAllocatableBytes = 1000 }],
            [Pod("prod", "a", "Running") with { NodeName = "n", CpuRequestMillis = 950 }, Pod("prod", "b", "Completed") with { NodeName = "n", Phase = "Succeeded", CpuRequestMillis = 500 }, Pod("prod", "c", "Pending") with { CpuRequestMillis = 500 }],
            warnings: 2);

        Assert.Equal(950, overview.CpuRequestedMillis);
        Assert.True(overview.CpuShare > ClusterOverview.OverProvisioned);
        Assert.Equal(1, overview.PodsIn("Succeeded"));
    }

    [Theory]
    [InlineData("250m", 0.25)]
    [InlineData("2", 2)]
    [InlineData("128Mi", 134217728)]
    [InlineData("1G", 1000000000)]
    [InlineData("1.5Gi", 1610612736)]
    [InlineData("", 0)]
    public void Quantities_read_like_Kubernetes(string text, double expected) =>
        Assert.Equal((decimal)expected, Quantities.Parse(text));

    [Theory]
    [InlineData("250m", 250, 1)]
    [InlineData("1.0001", 1001, 2)]
    [InlineData("16Ei", long.MaxValue, long.MaxValue)]
    [InlineData("9223372036854775807", long.MaxValue, long.MaxValue)]
    [InlineData("-16Ei", long.MinValue, long.MinValue)]
    public void A_quantity_as_millis_and_whole_units_rounds_up_and_stays_within_a_long(string text, long millis, long whole)
    {
        // A cluster may send any quantity the grammar allows; a summary's figure is held at a long's end, not an overflow.
        Assert.Equal(millis, Quantities.Millis(text));
        Assert.Equal(whole, Quantities.Whole(text));
    }

    [Theory]
    [InlineData(30, "30s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(5 * 86400, "5d")]
    public void Ages_print_like_kubectl(int seconds, string expected)
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(expected, Ages.Format(now.AddSeconds(-seconds), now));
    }

    private static PodSummary Pod(string cluster, string name, string status, int restarts = 0, params (string Key, string Value)[] labels) => new()
    {
        Cluster = cluster,
        Namespace = "default",
        Name = name,
        Status = status,
        Phase = status == "Pending" ? "Pending" : "Running",
        Restarts = restarts,
        Labels = [.. labels.Select(l => new KeyValuePair<string, string>(l.Key, l.Value))],
    };
}
