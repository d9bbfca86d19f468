using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Components.Pages.Quotas;

namespace MultiCluster.Components.Tests;

/// <summary>The Quotas page: the policy list and the fleet's quota usage, live.</summary>
public sealed class QuotaPageTests : QuotaTestContext
{
    [Fact]
    public void Without_policies_the_page_says_what_a_policy_does_and_offers_to_create_one()
    {
        var cut = Render<QuotasPage>();

        cut.WaitForAssertion(() => Assert.Contains(
            "No quota policies yet. Create one to give every matching namespace a ResourceQuota and LimitRange.", cut.Find("[data-testid=quota-empty]").TextContent, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("[data-testid=quota-create]"));
    }

    [Fact]
    public async Task A_viewer_sees_the_policies_but_no_create_button()
    {
        SignInAs(DashboardRoles.Viewer);
        var empty = Render<QuotasPage>();
        empty.WaitForAssertion(() => Assert.Contains("An Administrator creates them", empty.Find("[data-testid=quota-empty]").TextContent, StringComparison.Ordinal));
        Assert.Empty(empty.FindAll("[data-testid=quota-create]"));

        await SaveAsync(new QuotaPolicy { Name = "team", NamespacePatterns = ["team-*"], Hard = new Dictionary<string, string> { ["pods"] = "50" } });
        var cut = Render<QuotasPage>();

        cut.WaitForAssertion(() => Assert.Equal(["team"], cut.FindAll("[data-testid=quota-policy-name]").Select(e => e.TextContent)));
        Assert.Empty(cut.FindAll("[data-testid=quota-create]"));
    }

    [Fact]
    public async Task The_list_says_what_each_policy_selects_and_counts_its_targets_per_status_as_they_change()
    {
        await SaveAsync(new QuotaPolicy
        {
            Name = "team", Mode = PolicyMode.Inform, ClusterSelector = "env=prod", NamespacePatterns = ["team-*"], NamespaceSelector = "tier=web",
            Hard = new Dictionary<string, string> { ["pods"] = "50" },
        });
        await SaveAsync(new QuotaPolicy { Name = "edge", Clusters = ["edge-1"], Priority = 1, Hard = new Dictionary<string, string> { ["pods"] = "10" } });
        Store.Apply(
        [
            FleetChange.Upsert(Target("team", "prod-eu", "team-a", PolicyMode.Inform, InSync(QuotaFields.ResourceQuota))),
            FleetChange.Upsert(Target("team", "prod-eu", "team-b", PolicyMode.Inform, InSync(QuotaFields.ResourceQuota))),
        ]);
        var cut = Render<QuotasPage>();

        cut.WaitForAssertion(() => Assert.Equal(["edge", "team"], cut.FindAll("[data-testid=quota-policy-name]").Select(e => e.TextContent)));
        Assert.Equal(["Clusters: edge-1", "Clusters: labels env=prod"], cut.FindAll("[data-testid=quota-policy-clusters]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["Namespaces: every namespace but the system ones", "Namespaces: team-* with labels tier=web"],
            cut.FindAll("[data-testid=quota-policy-namespaces]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["Enforce", "Inform"], cut.FindAll("[data-testid=quota-policy-mode]").Select(e => e.TextContent));
        Assert.Equal(["0", "2"], cut.FindAll("[data-testid=quota-policy-targets]").Select(e => e.TextContent));
        Assert.Equal("2 InSync", cut.FindAll("[data-testid=quota-policy-statuses]")[1].TextContent.Trim());
        Assert.Equal("/quotas/team", cut.FindAll("[data-testid=quota-policy-name]")[1].GetAttribute("href"));

        Store.Apply(FleetChange.Upsert(Target("team", "prod-eu", "team-b", PolicyMode.Inform,
            new ObjectState(QuotaFields.ResourceQuota, "mc-team", new TargetState(TargetStatus.Drifted, [new FieldDifference("spec.hard.pods", "50", "80")])))));

        cut.WaitForAssertion(() => Assert.Equal(["1 Drifted", "1 InSync"],
            cut.FindAll("[data-testid=quota-policy-statuses]")[1].QuerySelectorAll("[data-testid=quota-status]").Select(e => e.TextContent.Trim())));
    }

    [Fact]
    public async Task A_policy_saved_or_deleted_elsewhere_shows_without_a_reload()
    {
        var cut = Render<QuotasPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=quota-empty]")));

        // Another Administrator, on the API: the service hands the policies to the engine, whose change the page follows.
        var saved = await SaveAsync(new QuotaPolicy { Name = "team", Hard = new Dictionary<string, string> { ["pods"] = "50" } });

        cut.WaitForAssertion(() => Assert.Equal(["team"], cut.FindAll("[data-testid=quota-policy-name]").Select(e => e.TextContent)));

        await SaveAsync(saved with { Priority = 2 }, saved.Generation);
        cut.WaitForAssertion(() => Assert.Equal("generation 2", cut.Find("[data-testid=quota-policy-generation]").TextContent));

        Assert.Null(await Policies.DeleteAsync(Admin, "team"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=quota-empty]")));
    }

    [Fact]
    public void Usage_lists_every_quota_fullest_first_marks_nearly_full_and_full_and_links_to_the_namespace_pods()
    {
        Cluster("prod-eu", new() { ["env"] = "prod" });
        Cluster("dev", new() { ["env"] = "dev" });
        Store.Apply(
        [
            FleetChange.Upsert(Quota("prod-eu", "team-a", "mc-team", ("requests.cpu", "9500m", "10"), ("pods", "12", "50"))),
            FleetChange.Upsert(Quota("prod-eu", "shop", "compute", ("pods", "20", "20"))),
            FleetChange.Upsert(Quota("dev", "team-b", "mc-team", ("requests.cpu", "1", "10"))),
        ]);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/quotas?tab=usage");

        var cut = Render<QuotasPage>();

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=usage-row]").Count));
        Assert.Equal(["100%", "95%", "24%", "10%"], cut.FindAll("[data-testid=usage-fraction]").Select(e => e.TextContent.Split('%')[0].Trim() + "%"));
        Assert.Equal(["Full", "Warning", "Normal", "Normal"], cut.FindAll("[data-testid=usage-row]").Select(e => e.GetAttribute("data-level")));
        Assert.Contains("Nearly full", cut.FindAll("[data-testid=usage-row]")[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("/pods?cluster=prod-eu&namespace=shop", cut.Find("[data-testid=usage-namespace-link]").GetAttribute("href"));
        Assert.Equal("9500m / 10", cut.FindAll("[data-testid=usage-amount]")[1].TextContent.Trim());

        cut.Find("button[data-testid=usage-sort-fraction]").Click();
        cut.WaitForAssertion(() => Assert.Equal("dev", cut.FindAll("[data-testid=usage-row] td")[0].TextContent.Trim()));

        cut.Find("input[data-testid=usage-selector]").Input("env=prod");
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=usage-row]").Count));

        cut.Find("input[data-testid=usage-namespace]").Input("team");
        cut.WaitForAssertion(() => Assert.Equal(["pods", "requests.cpu"], cut.FindAll("[data-testid=usage-resource]").Select(e => e.TextContent)));

        Store.Apply(FleetChange.Upsert(Quota("prod-eu", "team-a", "mc-team", ("requests.cpu", "10", "10"), ("pods", "12", "50"))));
        cut.WaitForAssertion(() => Assert.Equal(["Normal", "Full"], cut.FindAll("[data-testid=usage-row]").Select(e => e.GetAttribute("data-level"))));
        Assert.Equal("100%", cut.FindAll("[data-testid=usage-fraction]")[1].TextContent.Split('%')[0].Trim() + "%");
    }

    [Fact]
    public async Task Usage_filtered_to_a_policy_shows_only_the_quotas_it_wrote()
    {
        await SaveAsync(new QuotaPolicy { Name = "team", Hard = new Dictionary<string, string> { ["pods"] = "50" } });
        Cluster("prod-eu", new() { ["env"] = "prod" });
        Store.Apply(
        [
            FleetChange.Upsert(Quota("prod-eu", "team-a", "mc-team", ("pods", "12", "50"))),
            FleetChange.Upsert(Quota("prod-eu", "shop", "compute", ("pods", "20", "20"))),
        ]);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/quotas?tab=usage&policy=team");

        var cut = Render<QuotasPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["mc-team"], cut.FindAll("[data-testid=usage-quota]").Select(e => e.TextContent.Trim()));
            Assert.Equal("/quotas/team", cut.Find("[data-testid=usage-quota] a").GetAttribute("href"));
        });
    }
}
