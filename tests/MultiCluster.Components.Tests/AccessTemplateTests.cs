using MudBlazor;
using MultiCluster.Core.Access;
using MultiCluster.Data;
using MultiCluster.Web.Components.Pages.Access;

namespace MultiCluster.Components.Tests;

/// <summary>The Templates tab: role templates in words, created and changed by Administrators, not deleted while grants use them.</summary>
public sealed class AccessTemplateTests : AccessTestContext
{
    private static readonly RoleTemplate LogReader = new()
    {
        Name = "log-reader", Description = "Reads pods and their logs",
        Rules = [new AccessRule { Resources = ["pods", "pods/log"], Verbs = ["get", "list"] }],
    };

    private readonly IRenderedComponent<MudDialogProvider> _dialogs;

    public AccessTemplateTests()
    {
        Render<MudPopoverProvider>();
        _dialogs = Dialogs();
    }

    [Fact]
    public async Task An_administrator_creates_a_template_with_rules_checked_in_words_as_they_are_typed()
    {
        var page = Render<AccessPage>();
        page.ClickTab("Templates");
        page.WaitForAssertion(() => Assert.Contains("No role templates yet", page.Find("[data-testid=templates-empty]").TextContent, StringComparison.Ordinal));
        page.Find("button[data-testid=templates-create]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("input[data-testid=template-name-input]")));

        _dialogs.Find("input[data-testid=template-name-input]").Input("log-reader");
        _dialogs.Find("input[data-testid=template-rule-verbs]").Input("gett");
        _dialogs.Find("input[data-testid=template-rule-resources]").Input("pods/log");
        _dialogs.WaitForAssertion(() => Assert.Contains("Rule 1: 'gett' is not a Kubernetes verb", _dialogs.Find("[data-testid=template-editor-problem]").TextContent, StringComparison.Ordinal));
        Assert.True(_dialogs.Find("button[data-testid=template-editor-save]").HasAttribute("disabled"));

        _dialogs.Find("input[data-testid=template-rule-verbs]").Input("get");
        _dialogs.Find("button[data-testid=template-rule-add]").Click();
        _dialogs.FindAll("input[data-testid=template-rule-verbs]")[1].Input("get list");
        _dialogs.FindAll("input[data-testid=template-rule-resources]")[1].Input("deployments");
        _dialogs.FindAll("input[data-testid=template-rule-groups]")[1].Input("apps");
        _dialogs.Find("input[data-testid=template-labels-input]").Input("rbac.authorization.k8s.io/aggregate-to-view=true");
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=template-editor-problems]")));
        _dialogs.Find("button[data-testid=template-editor-save]").Click();

        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=template-editor]")));
        page.WaitForAssertion(() => Assert.Equal(["log-reader"], page.FindAll("[data-testid=template-name]").Select(e => e.TextContent)));
        Assert.Equal(["get on pods/log in the core group", "get, list on deployments in group apps"], page.FindAll("[data-testid=template-rule]").Select(e => e.TextContent));
        Assert.Equal("rbac.authorization.k8s.io/aggregate-to-view=true", page.Find("[data-testid=template-labels]").TextContent);
        Assert.Contains("no grant", page.Find("[data-testid=template-grants]").TextContent, StringComparison.Ordinal);
        var stored = Assert.Single(await Access.TemplatesAsync());
        Assert.Equal(["", "apps"], stored.Rules.SelectMany(r => r.ApiGroups));
    }

    [Fact]
    public async Task A_template_that_grants_use_is_not_deleted_and_the_sentence_names_them_while_an_unused_one_is_deleted_after_a_confirmation()
    {
        await SaveTemplateAsync(LogReader);
        await SaveTemplateAsync(LogReader with { Name = "unused", Description = null });
        await SaveAsync(Payments with { Ceiling = Payments.Ceiling with { Roles = ["view", "log-reader"] } });
        await SaveAsync(PaymentsView with { Name = "payments-logs", Role = "log-reader" });
        var page = Render<AccessPage>();
        page.ClickTab("Templates");
        page.WaitForAssertion(() => Assert.Equal(["log-reader", "unused"], page.FindAll("[data-testid=template-name]").Select(e => e.TextContent)));
        Assert.Equal("payments-logs", page.FindAll("[data-testid=template-grants]")[0].TextContent.Trim());

        page.FindAll("button[data-testid=template-delete]")[0].Click();

        _dialogs.WaitForAssertion(() => Assert.Contains(
            "Role template log-reader is used by 1 grant (payments-logs), so it cannot be deleted: change their role or delete them first.", _dialogs.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(">Delete<", _dialogs.Markup, StringComparison.Ordinal);
        _dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Close").Click();
        _dialogs.WaitForAssertion(() => Assert.DoesNotContain("is used by", _dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal(2, (await Access.TemplatesAsync()).Count);

        page.FindAll("button[data-testid=template-delete]")[1].Click();
        _dialogs.WaitForAssertion(() => Assert.Contains("Deletes role template unused. No grant uses it, so its ClusterRole mc-unused is in no cluster", _dialogs.Markup, StringComparison.Ordinal));
        _dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        page.WaitForAssertion(() => Assert.Equal(["log-reader"], page.FindAll("[data-testid=template-name]").Select(e => e.TextContent)));
        Assert.Equal(["log-reader"], (await Access.TemplatesAsync()).Select(t => t.Name));
        // The server refuses it too, whoever asks.
        Assert.Contains("is used by 1 grant(s)", (await Access.DeleteTemplateAsync(Admin, "log-reader"))?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_reads_templates_but_has_no_button_to_change_them()
    {
        await SaveTemplateAsync(LogReader);
        SignInAs(DashboardRoles.Viewer);

        var page = Render<AccessPage>();
        page.ClickTab("Templates");

        page.WaitForAssertion(() => Assert.Equal(["get, list on pods, pods/log in the core group"], page.FindAll("[data-testid=template-rule]").Select(e => e.TextContent)));
        Assert.Equal("Reads pods and their logs", page.Find("[data-testid=template-description]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=templates-create]"));
        Assert.Empty(page.FindAll("[data-testid=template-edit]"));
        Assert.Empty(page.FindAll("[data-testid=template-delete]"));
    }

    private async Task SaveTemplateAsync(RoleTemplate template)
    {
        var result = await Access.SaveTemplateAsync(Admin, template, null);
        Assert.True(result.Saved is not null, string.Join(" ", result.Problems));
    }
}
