using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Components.Pages.Access;

namespace MultiCluster.Components.Tests;

/// <summary>The Access page: teams and grants, each user seeing and changing what their role or team adminship allows.</summary>
public sealed class AccessPageTests : AccessTestContext
{
    [Fact]
    public void Without_teams_an_administrator_is_told_what_a_team_is_and_offered_to_create_one()
    {
        var cut = Render<AccessPage>();

        cut.WaitForAssertion(() => Assert.Contains("No teams yet", cut.Find("[data-testid=access-teams-empty]").TextContent, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("[data-testid=access-create-team]"));
    }

    [Fact]
    public void A_user_with_neither_a_role_nor_a_team_to_administer_is_told_what_to_ask_for()
    {
        SignInWithoutRole("dora");

        var cut = Render<AccessPage>();

        cut.WaitForAssertion(() => Assert.Contains("Ask an Administrator for a dashboard role, or ask your team's admin to make you an admin of the team.",
            cut.Find("[data-testid=access-no-access]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=access-tabs]"));
        Assert.Empty(cut.FindAll("[data-testid=access-create-team]"));
    }

    [Fact]
    public async Task A_viewer_sees_teams_and_grants_but_nothing_to_change_them_with()
    {
        await SaveAsync(Payments);
        await SaveAsync(PaymentsView);
        SignInAs(DashboardRoles.Viewer);

        var cut = Render<AccessPage>();

        cut.WaitForAssertion(() => Assert.Equal(["payments"], cut.FindAll("[data-testid=access-team-name]").Select(e => e.TextContent)));
        Assert.Equal(["bea (admin)", "carl"], cut.FindAll("[data-testid=access-team-member]").Select(e => e.TextContent.Trim()));
        Assert.Equal("Operator", cut.Find("[data-testid=access-team-role]").TextContent);
        Assert.Equal("view, edit in namespaces pay-* of clusters with labels env=prod; no cluster-wide grants.", cut.Find("[data-testid=access-team-ceiling]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=access-team-grants]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=access-team-edit]"));
        Assert.Empty(cut.FindAll("[data-testid=access-team-delete]"));
        Assert.Empty(cut.FindAll("[data-testid=access-create-team]"));

        cut.ClickTab("Grants");

        cut.WaitForAssertion(() => Assert.Equal(["payments-view"], cut.FindAll("[data-testid=access-grant-name]").Select(e => e.TextContent)));
        Assert.Equal("namespaces pay-* in clusters with labels env=prod", cut.Find("[data-testid=access-grant-scope]").TextContent.Trim());
        Assert.Equal("/access/grants/payments-view", cut.Find("[data-testid=access-grant-name]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=access-grant-edit]"));
        Assert.Empty(cut.FindAll("[data-testid=access-grant-delete]"));
        Assert.Empty(cut.FindAll("[data-testid=access-create-grant]"));
    }

    [Fact]
    public async Task The_grants_target_counts_follow_the_store_live()
    {
        await SaveAsync(Payments);
        await SaveAsync(PaymentsView);
        Store.Apply([InSync("payments-view", "prod-eu", "pay-api"), InSync("payments-view", "prod-eu", "pay-web")]);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/access?tab=grants");

        var cut = Render<AccessPage>();

        cut.WaitForAssertion(() => Assert.Equal("2 InSync", cut.Find("[data-testid=access-grant-statuses]").TextContent.Trim()));

        Store.Apply(FleetChange.Upsert(GrantTarget("payments-view", "prod-eu", "pay-web",
            new TargetState(TargetStatus.Drifted, [new FieldDifference("subjects", "[\"Group:multicluster:team:payments\"]", "[\"Group:multicluster:team:payments\",\"User:mallory\"]")]))));

        cut.WaitForAssertion(() => Assert.Equal(["1 Drifted", "1 InSync"],
            cut.FindAll("[data-testid=access-grant-statuses] [data-testid=access-status]").Select(e => e.TextContent.Trim())));
    }

    [Fact]
    public async Task A_team_saved_elsewhere_shows_without_a_reload()
    {
        var cut = Render<AccessPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=access-teams-empty]")));

        await SaveAsync(Payments);

        cut.WaitForAssertion(() => Assert.Equal(["payments"], cut.FindAll("[data-testid=access-team-name]").Select(e => e.TextContent)));
    }

    [Fact]
    public async Task Deleting_a_team_asks_first_naming_its_grants_and_shows_the_servers_refusal()
    {
        await SaveAsync(Payments);
        await SaveAsync(PaymentsView);
        var dialogs = Dialogs();
        var cut = Render<AccessPage>();

        cut.ClickWhenRendered("button[data-testid=access-team-delete]");

        dialogs.WaitForAssertion(() => Assert.Contains("Team payments has 1 grant: a team is deleted only after its grants are", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        cut.WaitForAssertion(() => Assert.Equal("Team 'payments' still has 1 grant(s); delete them first.", cut.Find("[data-testid=access-refusal]").TextContent.Trim()));
        Assert.Single(await Access.TeamsAsync());
    }

    [Fact]
    public async Task Deleting_a_grant_asks_first_naming_what_leaves_the_clusters()
    {
        await SaveAsync(Payments);
        await SaveAsync(PaymentsView);
        Store.Apply([InSync("payments-view", "prod-eu", "pay-api"), InSync("payments-view", "prod-us", "pay-api")]);
        var dialogs = Dialogs();
        Services.GetRequiredService<NavigationManager>().NavigateTo("/access?tab=grants");
        var cut = Render<AccessPage>();

        cut.ClickWhenRendered("button[data-testid=access-grant-delete]");

        dialogs.WaitForAssertion(() => Assert.Contains(
            "Deletes grant payments-view: its RoleBinding mc-payments-view leaves 2 namespaces in 2 clusters, and team payments loses role view there.",
            dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Deletes grant", dialogs.Markup, StringComparison.Ordinal));
        Assert.Single(await Access.GrantsAsync());

        cut.Find("button[data-testid=access-grant-delete]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Deletes grant", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        cut.WaitForAssertion(() => Assert.Contains("No grants yet", cut.Find("[data-testid=access-grants-empty]").TextContent, StringComparison.Ordinal));
        Assert.Empty(await Access.GrantsAsync());
    }
}
