using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;
using MultiCluster.Web.Components.Fleet;
using MultiCluster.Web.Components.Pages.Clusters;
using MultiCluster.Web.Components.Pages.Overview;
using MultiCluster.Web.Components.Pages.Pods;

namespace MultiCluster.Components.Tests;

/// <summary>The live fleet pages over a real store that the tests fill, as informers would.</summary>
public sealed class FleetPageTests : DashboardTestContext
{
    private FleetStateStore _store = default!;

    public FleetPageTests() => SignInAs(MultiCluster.Data.DashboardRoles.Viewer);

    protected override void AddServices(IServiceCollection services)
    {
        _store = new FleetStateStore(TimeProvider.System, new FleetStoreOptions { BatchInterval = TimeSpan.FromMilliseconds(20) });
        services.AddSingleton(_store);
        services.AddSingleton(TimeProvider.System);
        // Not started: pages only ask it for leases on on-demand kinds, which it grants for clusters it watches.
        services.AddSingleton(new FleetWatcher(new NoClusters(), _store, new FleetProjections(new StringPool()), new InformerOptions(),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
    }

    [Fact]
    public void The_overview_shows_each_cluster_with_its_figures_and_a_broken_cluster_with_its_error()
    {
        Fill();
        _store.Apply(FleetChange.Upsert(new ClusterSummary
        {
            Cluster = "edge",
            Health = ClusterHealth.Unreachable,
            Problem = "Nothing accepts connections at 10.0.0.9:6443 (connection refused): the cluster is down or the port is wrong.",
        }));

        var cut = Render<Overview>();

        Assert.Equal(["edge", "prod-eu"], cut.FindAll("[data-testid=overview-cluster] strong").Select(e => e.TextContent));
        Assert.Equal(["0/0", "1/2"], cut.FindAll("[data-testid=overview-nodes]").Select(e => e.TextContent));
        Assert.Contains("connection refused", cut.Find("[data-testid=overview-problem]").TextContent, StringComparison.Ordinal);
        var prod = cut.FindAll("[data-testid=overview-cpu]")[1].TextContent;
        Assert.Contains("750m / 8 (9%)", prod, StringComparison.Ordinal);
        Assert.Contains("1 Pending, 2 Running", cut.FindAll("[data-testid=overview-pods]")[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_overview_applies_changes_as_they_arrive()
    {
        Fill();
        var cut = Render<Overview>();
        Assert.StartsWith("3", cut.Find("[data-testid=overview-pods]").TextContent.Trim(), StringComparison.Ordinal);

        _store.Apply(FleetChange.Upsert(Pod("prod-eu", "web-4", "Running", "node-a")));
        _store.Apply(FleetChange.Upsert(new NodeSummary { Cluster = "prod-eu", Name = "node-b", Ready = true, CpuAllocatableMillis = 4000 }));

        cut.WaitForAssertion(() =>
        {
            Assert.StartsWith("4", cut.Find("[data-testid=overview-pods]").TextContent.Trim(), StringComparison.Ordinal);
            Assert.Equal("2/2", cut.Find("[data-testid=overview-nodes]").TextContent);
        });
    }

    [Fact]
    public void An_overview_row_is_markup_only_so_an_open_tab_re_renders_no_component_per_cluster()
    {
        Fill();
        _store.Apply(FleetChange.Upsert(new ClusterSummary { Cluster = "edge", Health = ClusterHealth.Unreachable, Problem = "connection refused" }));

        var cut = Render<Overview>();

        // Each cluster had a row component, a link, a tooltip and a chip, each with its event handlers, rendered again every second.
        Assert.Empty(cut.FindComponents<MudBlazor.MudTr>());
        Assert.Empty(cut.FindComponents<MudBlazor.MudLink>());
        Assert.Empty(cut.FindComponents<MudBlazor.MudChip<string>>());
        Assert.Equal(["/clusters/edge", "/clusters/prod-eu"], cut.FindAll("[data-testid=overview-cluster] a").Select(a => a.GetAttribute("href")));
        var health = cut.FindAll("[data-testid=cluster-health]");
        Assert.Equal(["Unreachable", "Synced"], health.Select(h => h.TextContent));
        Assert.Equal("connection refused", health[0].GetAttribute("title"));
        Assert.Contains("mud-chip-color-error", health[0].ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pods_link_escapes_the_names_the_cluster_sent()
    {
        Fill();
        _store.Apply(FleetChange.Upsert(Pod("prod-eu", "a?tab=x#y", "Running", "node-a") with { Namespace = "../admin" }));

        var cut = Render<PodList>();

        cut.WaitForAssertion(() => Assert.Contains("/clusters/prod-eu/pods/..%2Fadmin/a%3Ftab%3Dx%23y",
            cut.FindAll("[data-testid=pod-name] a").Select(a => a.GetAttribute("href"))));
    }

    [Fact]
    public void The_overview_says_what_to_do_when_there_is_no_cluster()
    {
        var cut = Render<Overview>();

        Assert.Contains("Register a cluster", cut.Find("[data-testid=no-clusters]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pods_page_filters_by_cluster_and_status_on_the_server_and_follows_deletes()
    {
        Fill();
        _store.Apply(FleetChange.Upsert(Pod("dev", "api-1", "CrashLoopBackOff", "node-x") with { Phase = "Running", Restarts = 7 }));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/pods?status=CrashLoopBackOff");

        var cut = Render<PodList>();

        cut.WaitForAssertion(() => Assert.Equal(["api-1"], cut.FindAll("[data-testid=pod-name]").Select(e => e.TextContent.Trim())));
        Assert.Contains("CrashLoopBackOff", cut.Find("[data-testid=pod-status]").TextContent, StringComparison.Ordinal);

        _store.Apply(FleetChange.Delete(FleetKind.Pod, "dev", "default/api-1"));

        cut.WaitForAssertion(() => Assert.Contains("No pod matches", cut.Find("[data-testid=no-pods]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Churn_off_the_page_on_screen_costs_the_open_tab_no_render_and_a_change_on_screen_shows()
    {
        _store.Apply([
            FleetChange.Upsert(new ClusterSummary { Cluster = "prod-eu", Health = ClusterHealth.Synced }),
            .. Enumerable.Range(0, 60).Select(i => FleetChange.Upsert(Pod("prod-eu", $"pod-{i:00}", "Running", "node-a"))),
        ]);
        var cut = Render<PodList>();
        cut.WaitForAssertion(() => Assert.Equal(50, cut.FindAll("[data-testid=pod-name]").Count));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var pageRenders = cut.RenderCount;

        // Pods 50 to 59 are on the second page: their restarts change for three of the page's refresh ticks.
        for (var step = 1; step <= 15; step++)
        {
            _store.Apply(FleetChange.Upsert(Pod("prod-eu", $"pod-{50 + step % 10}", "Running", "node-a") with { Restarts = step }));
            await Task.Delay(100);
        }
        // One more refresh tick, for the last change.
        await Task.Delay(TimeSpan.FromMilliseconds(600));

        Assert.Equal(pageRenders, cut.RenderCount);

        // A row on screen changes: the table renders alone, not the filters above it (the cluster filter has an item per cluster).
        // (A component's render count counts its children's renders too: the filters' is the page's own.)
        var filterRenders = cut.FindComponent<MudBlazor.MudSelect<string>>().RenderCount;
        _store.Apply(FleetChange.Upsert(Pod("prod-eu", "pod-01", "Running", "node-a") with { Restarts = 9 }));
        cut.WaitForAssertion(() => Assert.Equal("9", cut.FindAll("[data-testid=pod-table] tbody tr")[1].Children[5].TextContent.Trim()));
        Assert.Equal(filterRenders, cut.FindComponent<MudBlazor.MudSelect<string>>().RenderCount);

        // A new status also comes into the status filter: the page renders.
        _store.Apply(FleetChange.Upsert(Pod("prod-eu", "pod-00", "CrashLoopBackOff", "node-a")));
        cut.WaitForAssertion(() => Assert.Contains("CrashLoopBackOff", cut.FindAll("[data-testid=pod-status]")[0].TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void A_cluster_republished_for_its_last_contact_alone_changes_nothing_a_pods_tab_shows()
    {
        var synced = new ClusterSummary { Cluster = "prod-eu", Health = ClusterHealth.Synced, LastContact = DateTimeOffset.UnixEpoch };
        var broken = new ClusterSummary { Cluster = "edge", Health = ClusterHealth.Unreachable, Problem = "connection refused" };
        var shown = new MultiCluster.Web.Fleet.ShownClusters([synced, broken]);

        Assert.False(shown.Changes(FleetChange.Upsert(synced with { LastContact = DateTimeOffset.UnixEpoch.AddSeconds(5) })));
        Assert.False(shown.Changes(FleetChange.Upsert(broken with { LastContact = DateTimeOffset.UnixEpoch })));
        Assert.True(shown.Changes(FleetChange.Upsert(synced with { Health = ClusterHealth.Degraded })));
        Assert.True(shown.Changes(FleetChange.Upsert(broken with { Problem = "timed out" })));
        Assert.True(shown.Changes(FleetChange.Upsert(new ClusterSummary { Cluster = "new", Health = ClusterHealth.Connecting })));
        Assert.True(shown.Changes(FleetChange.Delete(FleetKind.Cluster, "edge", "edge")));
        // Labels decide who sees a cluster: new labels concern the page, the same labels in a new dictionary do not.
        Assert.True(shown.Changes(FleetChange.Upsert(synced with { Labels = new Dictionary<string, string> { ["team"] = "a" } })));
        Assert.False(shown.Changes(FleetChange.Upsert(synced with { Labels = new Dictionary<string, string>(), LastContact = DateTimeOffset.UnixEpoch.AddSeconds(10) })));
    }

    [Fact]
    public void Searching_by_name_narrows_the_pods_at_once_and_its_server_time_is_measured()
    {
        var searches = new System.Collections.Concurrent.ConcurrentBag<double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "multicluster.pods.query.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "search", Value: "name" })
                {
                    searches.Add(seconds);
                }
            }
        });
        listener.Start();
        Fill();
        var cut = Render<PodList>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=pod-name]").Count));

        cut.Find("input[data-testid=pod-search]").Input("web-2");

        cut.WaitForAssertion(() => Assert.Equal(["web-2"], cut.FindAll("[data-testid=pod-name]").Select(e => e.TextContent.Trim())));
        Assert.NotEmpty(searches);
        Assert.All(searches, s => Assert.InRange(s, 0, 60));
    }

    [Fact]
    public void The_pods_table_sorts_by_a_column_both_ways_and_pages_through_the_pods()
    {
        _store.Apply([
            FleetChange.Upsert(new ClusterSummary { Cluster = "prod-eu", Health = ClusterHealth.Synced }),
            .. Enumerable.Range(0, 60).Select(i => FleetChange.Upsert(Pod("prod-eu", $"pod-{i:00}", "Running", "node-a") with { Restarts = i % 7 })),
        ]);
        var cut = Render<PodList>();
        // The first render has the rows (prerendering too): no round trip to the browser before they are there.
        Assert.Equal(50, cut.FindAll("[data-testid=pod-name]").Count);
        Assert.Equal("1-50 of 60", cut.Find("[data-testid=pod-range]").TextContent.Trim());
        Assert.Equal("ascending", cut.Find("th:has([data-testid=pod-sort-name])").GetAttribute("aria-sort"));

        cut.Find("[data-testid=pod-page-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal(Enumerable.Range(50, 10).Select(i => $"pod-{i}"), Names(cut)));
        Assert.Equal("51-60 of 60", cut.Find("[data-testid=pod-range]").TextContent.Trim());
        Assert.True(cut.Find("[data-testid=pod-page-next]").HasAttribute("disabled"));

        // A sort starts again from the first page; a second click on the column reads it the other way round.
        cut.Find("[data-testid=pod-sort-restarts]").Click();
        cut.WaitForAssertion(() => Assert.Equal("pod-00", Names(cut)[0]));
        Assert.Equal("ascending", cut.Find("th:has([data-testid=pod-sort-restarts])").GetAttribute("aria-sort"));
        Assert.Equal("none", cut.Find("th:has([data-testid=pod-sort-name])").GetAttribute("aria-sort"));
        cut.Find("[data-testid=pod-sort-restarts]").Click();
        cut.WaitForAssertion(() => Assert.Equal("pod-55", Names(cut)[0]));
        Assert.Equal("descending", cut.Find("th:has([data-testid=pod-sort-restarts])").GetAttribute("aria-sort"));

        // On the last page, a filter that leaves fewer pods shows its first page.
        cut.Find("[data-testid=pod-page-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal("51-60 of 60", cut.Find("[data-testid=pod-range]").TextContent.Trim()));
        cut.Find("input[data-testid=pod-search]").Input("pod-1");
        cut.WaitForAssertion(() => Assert.Equal("1-10 of 10", cut.Find("[data-testid=pod-range]").TextContent.Trim()));
    }

    [Fact]
    public void A_name_filter_or_a_sort_renders_the_rows_not_the_cluster_filter_with_an_item_per_cluster()
    {
        _store.Apply([
            .. Enumerable.Range(0, 150).Select(i => FleetChange.Upsert(new ClusterSummary { Cluster = $"fleet-{i:000}", Health = ClusterHealth.Synced })),
            .. Enumerable.Range(0, 60).Select(i => FleetChange.Upsert(Pod($"fleet-{i % 150:000}", $"pod-{i:00}", "Running", "node-a"))),
        ]);
        var cut = Render<PodList>();
        cut.WaitForAssertion(() => Assert.Equal(50, cut.FindAll("[data-testid=pod-name]").Count));
        var clusterFilter = cut.FindComponents<MudBlazor.MudSelect<string>>()[0];
        var renders = clusterFilter.RenderCount;

        cut.Find("input[data-testid=pod-search]").Input("pod-1");
        cut.WaitForAssertion(() => Assert.Equal(10, cut.FindAll("[data-testid=pod-name]").Count));
        cut.Find("[data-testid=pod-sort-restarts]").Click();
        cut.WaitForAssertion(() => Assert.Equal("ascending", cut.Find("th:has([data-testid=pod-sort-restarts])").GetAttribute("aria-sort")));

        Assert.Equal(renders, clusterFilter.RenderCount);
        // A cluster that comes does come into the filter.
        _store.Apply(FleetChange.Upsert(new ClusterSummary { Cluster = "fleet-new", Health = ClusterHealth.Synced }));
        cut.WaitForAssertion(() => Assert.True(clusterFilter.RenderCount > renders));
    }

    private static List<string> Names(IRenderedComponent<PodList> cut) => [.. cut.FindAll("[data-testid=pod-name]").Select(e => e.TextContent.Trim())];

    [Fact]
    public void An_empty_filtered_table_says_no_pod_matches_once_pods_arrive_that_do_not()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/pods?status=CrashLoopBackOff");
        var cut = Render<PodList>();
        Assert.Contains("No pods yet", cut.Find("[data-testid=no-pods]").TextContent, StringComparison.Ordinal);

        Fill();

        cut.WaitForAssertion(() => Assert.Contains("No pod matches these filters", cut.Find("[data-testid=no-pods]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void The_pods_page_says_which_clusters_pods_may_be_stale()
    {
        Fill();
        _store.Apply(FleetChange.Upsert(new ClusterSummary { Cluster = "edge", Health = ClusterHealth.Unauthorized, Problem = "The API server refuses the stored credentials (401 Unauthorized)." }));

        var cut = Render<PodList>();

        var alert = Assert.Single(cut.FindAll("[data-testid=pods-cluster-problem]"));
        Assert.Contains("edge", alert.TextContent, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", alert.TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=pod-name]").Count));
    }

    [Fact]
    public void The_cluster_page_sums_each_nodes_requests()
    {
        Fill();

        var cut = Render<ClusterDetail>(p => p.Add(c => c.Cluster, "prod-eu"));

        Assert.Equal(["node-a", "node-b"], cut.FindAll("[data-testid=node-name]").Select(e => e.TextContent));
        Assert.Equal("750m / 4", cut.FindAll("[data-testid=node-cpu]")[0].TextContent);
        Assert.Equal("2 / 110", cut.FindAll("[data-testid=node-pods]")[0].TextContent);
        Assert.Contains("NotReady", cut.FindAll("[data-testid=node-status]")[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_live_fleet_page_requires_a_dashboard_role_as_the_hub_does()
    {
        var pages = typeof(LiveFleetComponent).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(LiveFleetComponent)) && t.GetCustomAttributes(typeof(RouteAttribute), false).Length > 0)
            .ToList();

        Assert.Equal(8, pages.Count);
        Assert.All(pages, page => Assert.Contains(
            page.GetCustomAttributes(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), true).Cast<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>(),
            a => a.Policy == MultiCluster.Web.Identity.DashboardActions.ReadFleet));
    }

    private sealed class NoClusters : IWatchedClusterSource
    {
        public Task<IReadOnlyList<WatchedCluster>> LoadAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<WatchedCluster>>([]);

        public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.Delay(timeout, cancellationToken);
    }

    private void Fill()
    {
        _store.Apply(
        [
            FleetChange.Upsert(new ClusterSummary { Cluster = "prod-eu", Health = ClusterHealth.Synced, KubernetesVersion = "v1.31.4" }),
            FleetChange.Upsert(new NodeSummary { Cluster = "prod-eu", Name = "node-a", Ready = true, CpuAllocatableMillis = 4000, MemoryAllocatableBytes = 8L << 30, PodsAllocatable = 110 }),
            FleetChange.Upsert(new NodeSummary { Cluster = "prod-eu", Name = "node-b", Ready = false, CpuAllocatableMillis = 4000, MemoryAllocatableBytes = 8L << 30, PodsAllocatable = 110 }),
            FleetChange.Upsert(Pod("prod-eu", "web-1", "Running", "node-a")),
            FleetChange.Upsert(Pod("prod-eu", "web-2", "Running", "node-a") with { CpuRequestMillis = 500 }),
            FleetChange.Upsert(Pod("prod-eu", "web-3", "Pending", null)),
        ]);
    }

    private static PodSummary Pod(string cluster, string name, string status, string? node) => new()
    {
        Cluster = cluster,
        Namespace = "default",
        Name = name,
        Phase = status is "Pending" ? "Pending" : "Running",
        Status = status,
        NodeName = node,
        CpuRequestMillis = 250,
        MemoryRequestBytes = 256L << 20,
        Containers = 1,
        ReadyContainers = status == "Running" ? 1 : 0,
        CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
    };
}
