using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Components.Pages.Access;

namespace MultiCluster.Components.Tests;

/// <summary>One grant's page: what it gives whom and where, and its targets, live.</summary>
public sealed class AccessGrantDetailTests : AccessTestContext
{
    [Fact]
    public async Task A_viewer_follows_each_target_live_opens_a_drifted_ones_differences_and_filters_them_but_changes_nothing()
    {
        await SaveAsync(Payments);
        await SaveAsync(PaymentsView);
        Store.Apply(
        [
            InSync("payments-view", "prod-eu", "pay-api"),
            FleetChange.Upsert(GrantTarget("payments-view", "prod-eu", "pay-web",
                new TargetState(TargetStatus.Drifted, [new FieldDifference("subjects", "[\"Group:multicluster:team:payments\"]", "[\"Group:multicluster:team:payments\",\"User:mallory\"]")]))),
            FleetChange.Upsert(GrantTarget("payments-view", "prod-us", "pay-api",
                TargetState.Of(TargetStatus.Error, "rolebindings.rbac.authorization.k8s.io \"mc-payments-view\" is forbidden: user cannot bind clusterrole"))),
        ]);
        SignInAs(DashboardRoles.Viewer);

        var cut = Render<GrantDetail>(p => p.Add(d => d.Name, "payments-view"));

        cut.WaitForAssertion(() => Assert.Equal(["InSync", "Drifted", "Error"], cut.FindAll("[data-testid=access-target]").Select(e => e.GetAttribute("data-status"))));
        Assert.Equal("namespaces pay-* in clusters with labels env=prod", cut.Find("[data-testid=access-grant-summary-scope]").TextContent);
        Assert.Equal(["rolebindings.rbac.authorization.k8s.io \"mc-payments-view\" is forbidden: user cannot bind clusterrole"],
            cut.FindAll("[data-testid=access-target-message]").Select(e => e.TextContent));
        Assert.Empty(cut.FindAll("[data-testid=access-grant-detail-edit]"));
        Assert.Empty(cut.FindAll("[data-testid=access-grant-detail-delete]"));

        cut.Find("button[data-testid=access-target-toggle]").Click();

        cut.WaitForAssertion(() => Assert.Equal("subjects", cut.Find("[data-testid=access-difference-path]").TextContent));
        Assert.Equal("[\"Group:multicluster:team:payments\",\"User:mallory\"]", cut.Find("[data-testid=access-difference-actual]").TextContent);

        cut.Find("input[data-testid=access-target-namespace-filter]").Input("WEB");

        cut.WaitForAssertion(() => Assert.Equal(["pay-web"], cut.FindAll("[data-testid=access-target-namespace]").Select(e => e.TextContent)));

        Store.Apply(InSync("payments-view", "prod-eu", "pay-web"));

        cut.WaitForAssertion(() => Assert.Equal(["InSync"], cut.FindAll("[data-testid=access-target]").Select(e => e.GetAttribute("data-status"))));
        Assert.Equal(["1 Error", "2 InSync"], cut.FindAll("[data-testid=access-target-counts] [data-testid=access-status]").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public async Task An_inform_grants_targets_offer_Repair_to_its_team_admin_and_not_to_a_viewer()
    {
        await SaveAsync(Payments);
        await SaveAsync(PaymentsView with { Mode = PolicyMode.Inform });
        Store.Apply(
        [
            FleetChange.Upsert(GrantTarget("payments-view", "prod-eu", "pay-api", TargetState.Of(TargetStatus.Pending, "This policy only informs: Repair writes it.")) with { Mode = PolicyMode.Inform }),
            FleetChange.Upsert(GrantTarget("payments-view", "prod-eu", "pay-web", TargetState.Of(TargetStatus.InSync)) with { Mode = PolicyMode.Inform }),
        ]);
        SignInAs(DashboardRoles.Administrator);

        var cut = Render<GrantDetail>(p => p.Add(d => d.Name, "payments-view"));

        cut.WaitForAssertion(() => Assert.Equal(["Repair prod-eu/pay-api"], cut.FindAll("[data-testid=access-target-repair]").Select(e => e.GetAttribute("aria-label"))));

        SignInAs(DashboardRoles.Viewer);
        var viewer = Render<GrantDetail>(p => p.Add(d => d.Name, "payments-view"));

        viewer.WaitForAssertion(() => Assert.Equal(2, viewer.FindAll("[data-testid=access-target]").Count));
        Assert.Empty(viewer.FindAll("[data-testid=access-target-repair]"));
    }

    [Fact]
    public async Task A_cluster_wide_grants_targets_are_whole_clusters()
    {
        await SaveAsync(Payments with { Ceiling = Payments.Ceiling with { Roles = ["view"], AllowClusterWide = true } });
        await SaveAsync(PaymentsView with { NamespacePatterns = [], ClusterWide = true });
        Store.Apply(FleetChange.Upsert(GrantTarget("payments-view", "prod-eu", null, TargetState.Of(TargetStatus.Pending))));

        var cut = Render<GrantDetail>(p => p.Add(d => d.Name, "payments-view"));

        cut.WaitForAssertion(() => Assert.Equal(["cluster-wide"], cut.FindAll("[data-testid=access-target-namespace]").Select(e => e.TextContent)));
        Assert.Equal("cluster-wide in clusters with labels env=prod", cut.Find("[data-testid=access-grant-summary-scope]").TextContent);
    }

    [Fact]
    public async Task Deleting_from_the_grants_page_asks_first_and_goes_back_to_the_grants()
    {
        await SaveAsync(Payments);
        await SaveAsync(PaymentsView);
        Store.Apply(InSync("payments-view", "prod-eu", "pay-api"));
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<GrantDetail>(p => p.Add(d => d.Name, "payments-view"));

        cut.ClickWhenRendered("button[data-testid=access-grant-detail-delete]");

        dialogs.WaitForAssertion(() => Assert.Contains("its RoleBinding mc-payments-view leaves 1 namespace in 1 cluster", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/access?tab=grants", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        Assert.Empty(await Access.GrantsAsync());
    }

    [Fact]
    public async Task A_team_admin_without_a_role_manages_the_grant_and_sees_its_targets_on_the_teams_clusters_only()
    {
        Cluster("prod-eu", new() { ["env"] = "prod" }, "pay-api");
        Cluster("dev-eu", new() { ["env"] = "dev" }, "pay-api");
        await SaveAsync(Payments);
        await SaveAsync(PaymentsView);
        Store.Apply(InSync("payments-view", "prod-eu", "pay-api"));
        // A row on a cluster the team's grants do not reach (as another grant of the same name once did): not bea's to see.
        Store.Apply(InSync("payments-view", "dev-eu", "pay-api"));
        SignInWithoutRole("bea");

        var cut = Render<GrantDetail>(p => p.Add(d => d.Name, "payments-view"));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=access-target]")));
        Assert.Contains("prod-eu", cut.Find("[data-testid=access-target]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("dev-eu", cut.Markup, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[data-testid=access-grant-detail-edit]"));
        Assert.Single(cut.FindAll("[data-testid=access-grant-detail-delete]"));
    }
}
