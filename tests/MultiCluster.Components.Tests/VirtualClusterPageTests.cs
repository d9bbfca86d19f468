using MultiCluster.Core.Fleet;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Components.Pages.VirtualClusters;

namespace MultiCluster.Components.Tests;

/// <summary>The Virtual clusters page: every vCluster of every visible host, live, with what the person may do to each.</summary>
public sealed class VirtualClusterPageTests : VirtualClusterTestContext
{
    [Fact]
    public void Without_vclusters_the_page_says_how_to_get_one_and_offers_to_create_one()
    {
        Cluster("prod-eu", []);

        var cut = Render<VirtualClustersPage>();

        Assert.Contains("No vClusters yet. Create one on a host cluster, or install one with the vcluster CLI; it shows here as soon as its StatefulSet exists.",
            cut.Find("[data-testid=vcluster-empty]").TextContent, StringComparison.Ordinal);
        Assert.False(cut.Find("button[data-testid=vcluster-create]").HasAttribute("disabled"));
    }

    [Fact]
    public void Every_vcluster_of_every_host_shows_with_the_clis_status_its_registered_cluster_and_its_quota()
    {
        Cluster("prod-eu", []);
        Cluster("dev", []);
        VirtualCluster("prod-eu", "team-a", podStatus: "Running");
        VirtualCluster("prod-eu", "team-b", paused: true);
        VirtualCluster("dev", "sandbox", ns: "play", podStatus: "Pending");
        Registered("team-a", "prod-eu", "vcluster-team-a", "team-a");
        Store.Apply(FleetChange.Upsert(Quota("prod-eu", "vcluster-team-a", "vc-team-a", ("count/pods", "3", "20"), ("requests.cpu", "1", "10"))));

        var cut = Render<VirtualClustersPage>();

        Assert.Equal(["dev/play/sandbox", "prod-eu/vcluster-team-a/team-a", "prod-eu/vcluster-team-b/team-b"],
            cut.FindAll("[data-testid=vcluster-row]").Select(r => r.GetAttribute("data-key")));
        Assert.Equal(["Pending", "Running", "Paused"], cut.FindAll("[data-testid=vcluster-status]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["warning", "success", "info"], cut.FindAll("[data-testid=vcluster-status]").Select(e => e.ClassList.Single(c => c.StartsWith("mud-chip-color-", StringComparison.Ordinal))[15..]));
        Assert.Equal(["/clusters/dev", "/clusters/prod-eu", "/clusters/prod-eu"], cut.FindAll("[data-testid=vcluster-host-link]").Select(e => e.GetAttribute("href")));
        Assert.Equal("/clusters/team-a", cut.Find("[data-testid=vcluster-registered]").GetAttribute("href"));
        Assert.Equal("Synced", cut.Find("[data-testid=vcluster-managed] [data-testid=cluster-health]").TextContent.Trim());
        Assert.Equal(2, cut.FindAll("button[data-testid=vcluster-manage]").Count);
        Assert.Equal(["no quota", "count/pods 3/20", "no quota"], cut.FindAll("[data-testid=vcluster-usage]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["5m", "5m", "5m"], cut.FindAll("[data-testid=vcluster-age]").Select(e => e.TextContent.Trim()));
        Assert.Single(cut.FindAll("button[data-testid=vcluster-resume]"));
        Assert.Equal(2, cut.FindAll("button[data-testid=vcluster-pause]").Count);
        Assert.Equal("/clusters/prod-eu/virtual-clusters/vcluster-team-a/team-a/kubeconfig", cut.FindAll("[data-testid=vcluster-connect]")[1].GetAttribute("href"));
        // A download, so the interactive router leaves the link to the browser.
        Assert.Equal("vcluster_team-a_vcluster-team-a_prod-eu.kubeconfig", cut.FindAll("[data-testid=vcluster-connect]")[1].GetAttribute("download"));
    }

    [Fact]
    public void A_vcluster_made_or_paused_elsewhere_shows_without_a_reload()
    {
        Cluster("prod-eu", []);
        var cut = Render<VirtualClustersPage>();
        Assert.Single(cut.FindAll("[data-testid=vcluster-empty]"));

        // The vcluster CLI, on the host: first its StatefulSet, then its pod, then a pause.
        VirtualCluster("prod-eu", "cli-made");
        cut.WaitForAssertion(() => Assert.Equal("Unknown", cut.Find("[data-testid=vcluster-status]").TextContent.Trim()));

        VirtualCluster("prod-eu", "cli-made", podStatus: "Running");
        cut.WaitForAssertion(() => Assert.Equal("Running", cut.Find("[data-testid=vcluster-status]").TextContent.Trim()));

        VirtualCluster("prod-eu", "cli-made", paused: true);
        cut.WaitForAssertion(() => Assert.Equal("Paused", cut.Find("[data-testid=vcluster-status]").TextContent.Trim()));
        Assert.Single(cut.FindAll("button[data-testid=vcluster-resume]"));
        Assert.Empty(cut.FindAll("button[data-testid=vcluster-pause]"));

        Store.Apply(FleetChange.Delete(FleetKind.VirtualCluster, "prod-eu", FleetKeys.Of("vcluster-cli-made", "cli-made")));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=vcluster-empty]")));
    }

    [Fact]
    public void A_viewer_sees_every_vcluster_but_its_buttons_are_disabled_and_say_why()
    {
        SignInAs(DashboardRoles.Viewer);
        Cluster("prod-eu", []);
        VirtualCluster("prod-eu", "team-a", podStatus: "Running");
        VirtualCluster("prod-eu", "team-b", paused: true);

        var cut = Render<VirtualClustersPage>();

        Assert.Equal(2, cut.FindAll("[data-testid=vcluster-row]").Count);
        foreach (var button in new[] { "vcluster-create", "vcluster-pause", "vcluster-resume", "vcluster-delete", "vcluster-manage", "vcluster-connect" })
        {
            Assert.All(cut.FindAll($"[data-testid={button}]"), b => Assert.True(b.HasAttribute("disabled"), $"{button} is enabled for a Viewer"));
        }
        Assert.Null(cut.Find("[data-testid=vcluster-connect]").GetAttribute("href"));
    }

    [Fact]
    public void The_text_and_host_filters_narrow_the_list_and_the_headers_sort_it()
    {
        Cluster("prod-eu", []);
        Cluster("dev", []);
        VirtualCluster("prod-eu", "team-a", podStatus: "Running", age: TimeSpan.FromDays(3));
        VirtualCluster("prod-eu", "team-b", paused: true, age: TimeSpan.FromHours(5));
        VirtualCluster("dev", "sandbox", podStatus: "Running", age: TimeSpan.FromMinutes(30));
        var cut = Render<VirtualClustersPage>();

        cut.Find("input[data-testid=vcluster-search]").Input("team");
        cut.WaitForAssertion(() => Assert.Equal(["team-a", "team-b"], Names(cut)));

        cut.Find("input[data-testid=vcluster-search]").Input("paused");
        cut.WaitForAssertion(() => Assert.Equal(["team-b"], Names(cut)));

        cut.Find("input[data-testid=vcluster-search]").Input("nothing-like-it");
        cut.WaitForAssertion(() => Assert.Contains("No vCluster matches these filters; 3 are hidden.", cut.Find("[data-testid=vcluster-none-match]").TextContent, StringComparison.Ordinal));

        cut.Find("input[data-testid=vcluster-search]").Input("");
        cut.WaitForAssertion(() => Assert.Equal(["sandbox", "team-a", "team-b"], Names(cut)));

        cut.Find("button[data-testid=vcluster-sort-age]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["sandbox", "team-b", "team-a"], Names(cut)));
        cut.Find("button[data-testid=vcluster-sort-age]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["team-a", "team-b", "sandbox"], Names(cut)));
        Assert.Equal("descending", cut.Find("button[data-testid=vcluster-sort-age]").Closest("th")!.GetAttribute("aria-sort"));

        cut.Find("[data-testid=vcluster-host-filter]").Closest(".mud-input-control")!.MouseDown();
        Popovers.WaitForAssertion(() => Assert.Contains(Popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == "dev"));
        Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "dev").Click();
        cut.WaitForAssertion(() => Assert.Equal(["sandbox"], Names(cut)));
    }

    private static IEnumerable<string> Names(IRenderedComponent<VirtualClustersPage> cut) =>
        cut.FindAll("[data-testid=vcluster-name-cell]").Select(e => e.TextContent.Trim());
}
