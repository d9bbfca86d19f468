using MudBlazor;
using MultiCluster.Core.Access;
using MultiCluster.Data;
using MultiCluster.Web.Components.Pages.Access;

namespace MultiCluster.Components.Tests;

/// <summary>The team and grant editors, opened from the Access page by an Administrator and by a team admin without a dashboard role.</summary>
public sealed class AccessEditorTests : AccessTestContext
{
    private readonly IRenderedComponent<MudPopoverProvider> _popovers;
    private readonly IRenderedComponent<MudDialogProvider> _dialogs;

    public AccessEditorTests()
    {
        _popovers = Render<MudPopoverProvider>();
        _dialogs = Dialogs();
    }

    [Fact]
    public async Task An_administrator_creates_a_team_with_its_members_admins_and_ceiling()
    {
        var page = Render<AccessPage>();
        page.ClickWhenRendered("button[data-testid=access-create-team]");
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("input[data-testid=team-name]")));

        _dialogs.Find("input[data-testid=team-name]").Input("Payments");
        _dialogs.WaitForAssertion(() => Assert.StartsWith("'Payments' is not a valid team name", _dialogs.Find("[data-testid=team-editor-problem]").TextContent, StringComparison.Ordinal));
        Assert.True(_dialogs.Find("button[data-testid=team-editor-save]").HasAttribute("disabled"));

        _dialogs.Find("input[data-testid=team-name]").Input("payments");
        _dialogs.Find("input[data-testid=team-description]").Input("The payments squad");
        _dialogs.Find("input[data-testid=team-member-name]").Input("bea");
        _dialogs.Find("input[data-testid=team-member-admin]").Change(true);
        _dialogs.Find("button[data-testid=team-member-add]").Click();
        _dialogs.FindAll("input[data-testid=team-member-name]")[1].Input("carl");
        Pick("team-ceiling-roles", "view", "edit");
        _dialogs.Find("input[data-testid=team-ceiling-namespaces]").Input("pay-*");
        _dialogs.Find("input[data-testid=team-ceiling-cluster-selector]").Input("env=prod");

        _dialogs.WaitForAssertion(() => Assert.Contains("view, edit in namespaces pay-* of clusters with labels env=prod; no cluster-wide grants.",
            _dialogs.Find("[data-testid=team-editor-ceiling]").TextContent, StringComparison.Ordinal));
        Assert.Empty(_dialogs.FindAll("[data-testid=team-editor-problems]"));
        _dialogs.Find("button[data-testid=team-editor-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=team-editor]")));
        page.WaitForAssertion(() => Assert.Equal(["payments"], page.FindAll("[data-testid=access-team-name]").Select(e => e.TextContent)));
        Assert.Equal(["bea (admin)", "carl"], page.FindAll("[data-testid=access-team-member]").Select(e => e.TextContent.Trim()));
        Assert.Equal("Viewer", page.Find("[data-testid=access-team-role]").TextContent);
        var stored = Assert.Single(await Access.TeamsAsync());
        Assert.Equal([new TeamMember(MemberKind.User, "bea", true), new TeamMember(MemberKind.User, "carl")], stored.Members);
        Assert.Equal(["view", "edit"], stored.Ceiling.Roles);
    }

    [Fact]
    public async Task A_team_admin_without_a_dashboard_role_changes_only_the_members_and_adds_a_grant()
    {
        await SaveAsync(Payments);
        SignInWithoutRole("bea");
        var page = Render<AccessPage>();

        page.WaitForAssertion(() => Assert.Equal("Edit members", page.Find("button[data-testid=access-team-edit]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=access-team-delete]"));
        Assert.Empty(page.FindAll("[data-testid=access-create-team]"));

        page.ClickWhenRendered("button[data-testid=access-team-edit]");

        _dialogs.WaitForAssertion(() => Assert.Contains("As an admin of team payments you change its members. Its description, dashboard role and ceiling are set by Administrators.",
            _dialogs.Find("[data-testid=team-editor-members-only]").TextContent, StringComparison.Ordinal));
        Assert.True(_dialogs.Find("input[data-testid=team-name]").HasAttribute("disabled"));
        Assert.True(_dialogs.Find("input[data-testid=team-description]").HasAttribute("disabled"));
        Assert.True(_dialogs.Find("input[data-testid=team-ceiling-namespaces]").HasAttribute("disabled"));
        Assert.True(_dialogs.Find("input[data-testid=team-ceiling-cluster-selector]").HasAttribute("disabled"));
        Assert.All(_dialogs.FindAll("input[data-testid=team-member-name]"), e => Assert.False(e.HasAttribute("disabled")));

        _dialogs.Find("button[data-testid=team-member-add]").Click();
        _dialogs.FindAll("input[data-testid=team-member-name]")[2].Input("dan");
        _dialogs.Find("button[data-testid=team-editor-save]").Click();

        page.WaitForAssertion(() => Assert.Equal(["bea (admin)", "carl", "dan"], page.FindAll("[data-testid=access-team-member]").Select(e => e.TextContent.Trim())));

        page.ClickTab("Grants");
        page.ClickWhenRendered("button[data-testid=access-create-grant]");
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("input[data-testid=grant-name]")));
        _dialogs.Find("input[data-testid=grant-name]").Input("payments-edit");
        Pick("grant-role", "edit");
        _dialogs.Find("input[data-testid=grant-namespaces]").Input("pay-*");
        _dialogs.WaitForAssertion(() => Assert.False(_dialogs.Find("button[data-testid=grant-editor-save]").HasAttribute("disabled")));
        _dialogs.Find("button[data-testid=grant-editor-save]").Click();

        page.WaitForAssertion(() => Assert.Equal(["payments-edit"], page.FindAll("[data-testid=access-grant-name]").Select(e => e.TextContent)));
        Assert.Equal("edit", page.Find("[data-testid=access-grant-role]").TextContent);
        // No cluster is known here, so the grant reaches none yet.
        Assert.Equal("none yet", page.Find("[data-testid=access-grant-statuses]").TextContent.Trim());
        Assert.Single(page.FindAll("button[data-testid=access-grant-edit]"));
    }

    [Fact]
    public async Task A_grant_beyond_its_teams_ceiling_shows_the_ceiling_sentences_as_it_is_typed_and_cannot_be_saved()
    {
        await SaveAsync(Payments);
        Cluster("prod-eu", new() { ["env"] = "prod" }, "pay-api", "shop");
        Cluster("dev-eu", new() { ["env"] = "dev" }, "pay-api");
        var page = Render<AccessPage>();
        page.ClickTab("Grants");
        page.ClickWhenRendered("button[data-testid=access-create-grant]");
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("input[data-testid=grant-name]")));

        _dialogs.Find("input[data-testid=grant-name]").Input("payments-shop");
        Pick("grant-role", "admin");
        _dialogs.Find("input[data-testid=grant-namespaces]").Input("shop");

        _dialogs.WaitForAssertion(() => Assert.Equal(
            [
                "Role 'admin' is beyond the ceiling of team payments, which allows view, edit.",
                "Cluster dev-eu is beyond the ceiling of team payments (labels env=prod).",
                "Namespaces shop are beyond the ceiling of team payments (pay-*).",
            ],
            _dialogs.FindAll("[data-testid=grant-editor-beyond-problem]").Select(e => e.TextContent)));
        Assert.True(_dialogs.Find("button[data-testid=grant-editor-save]").HasAttribute("disabled"));

        Pick("grant-role", "view");
        _dialogs.Find("input[data-testid=grant-cluster-selector]").Input("env=prod");
        _dialogs.Find("input[data-testid=grant-namespaces]").Input("pay-*");

        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=grant-editor-beyond]")));
        Assert.Equal("Reaches 1 namespace in 1 cluster now (of 2 visible clusters).", _dialogs.Find("[data-testid=grant-editor-reach]").TextContent.Trim());
        Assert.False(_dialogs.Find("button[data-testid=grant-editor-save]").HasAttribute("disabled"));
        _dialogs.Find("button[data-testid=grant-editor-save]").Click();

        page.WaitForAssertion(() => Assert.Equal(["payments-shop"], page.FindAll("[data-testid=access-grant-name]").Select(e => e.TextContent)));
    }

    [Fact]
    public async Task A_viewer_is_offered_no_editor_on_a_team_page()
    {
        await SaveAsync(Payments);
        await SaveAsync(PaymentsView);
        SignInAs(DashboardRoles.Viewer);

        var cut = Render<TeamDetail>(p => p.Add(d => d.Name, "payments"));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=access-team-member-row]").Count));
        Assert.Equal(["payments-view"], cut.FindAll("[data-testid=access-grant-name]").Select(e => e.TextContent));
        Assert.Equal("view, edit in namespaces pay-* of clusters with labels env=prod; no cluster-wide grants.", cut.Find("[data-testid=access-team-summary-ceiling]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=access-team-detail-edit]"));
        Assert.Empty(cut.FindAll("[data-testid=access-team-detail-delete]"));
        Assert.Empty(cut.FindAll("[data-testid=access-team-create-grant]"));
        Assert.Empty(cut.FindAll("[data-testid=access-grant-edit]"));
    }

    /// <summary>Opens the select <paramref name="testId"/> and clicks each of <paramref name="items"/> in its list.</summary>
    private void Pick(string testId, params string[] items)
    {
        _dialogs.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.MouseDown();
        foreach (var item in items)
        {
            _popovers.WaitForAssertion(() => Assert.Contains(_popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == item));
            _popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == item).Click();
        }
    }
}
