using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Components.Pages.Quotas;

namespace MultiCluster.Components.Tests;

/// <summary>The quota policy editor, opened from the Quotas page as an Administrator would.</summary>
public sealed class QuotaEditorTests : QuotaTestContext
{
    [Fact]
    public void An_invalid_quantity_is_explained_in_the_API_servers_words_as_it_is_typed_and_stops_the_save()
    {
        var (page, dialogs) = OpenCreate();

        dialogs.Find("input[data-testid=quota-name]").Input("team");
        dialogs.Find("input[data-testid=quota-hard-resource]").Input("requests.cpu");
        dialogs.Find("input[data-testid=quota-hard-quantity]").Input("20x");

        dialogs.WaitForAssertion(() => Assert.Contains(
            "spec.hard[requests.cpu]: Invalid value: \"20x\": quantities must match the regular expression",
            dialogs.Find("[data-testid=quota-editor-problems]").TextContent, StringComparison.Ordinal));
        Assert.True(dialogs.Find("button[data-testid=quota-editor-save]").HasAttribute("disabled"));
        Assert.True(dialogs.Find("button[data-testid=quota-editor-preview]").HasAttribute("disabled"));

        dialogs.Find("input[data-testid=quota-hard-quantity]").Input("20");

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=quota-editor-problems]")));
        Assert.False(dialogs.Find("button[data-testid=quota-editor-preview]").HasAttribute("disabled"));
        Assert.Contains("kind: ResourceQuota", dialogs.Find("[data-testid=quota-editor-yaml]").TextContent, StringComparison.Ordinal);
        Assert.Contains("    requests.cpu: \"20\"", dialogs.Find("[data-testid=quota-editor-yaml]").TextContent, StringComparison.Ordinal);
        Assert.Contains("No quota policies yet", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_request_above_the_default_limit_shows_the_LimitRange_consistency_message()
    {
        var (_, dialogs) = OpenCreate();

        dialogs.Find("input[data-testid=quota-name]").Input("team");
        dialogs.Find("input[data-testid=quota-limit-Container-default-cpu]").Input("500m");
        dialogs.Find("input[data-testid=quota-limit-Container-defaultRequest-cpu]").Input("1");

        dialogs.WaitForAssertion(() => Assert.Equal(
            ["spec.limits[0].defaultRequest[cpu]: Invalid value: \"1\": default request value 1 is greater than default limit value 500m"],
            dialogs.FindAll("[data-testid=quota-editor-problem]").Select(e => e.TextContent)));
        Assert.True(dialogs.Find("button[data-testid=quota-editor-save]").HasAttribute("disabled"));

        dialogs.Find("input[data-testid=quota-limit-Container-defaultRequest-cpu]").Input("250m");

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=quota-editor-problem]")));
        Assert.Contains("kind: LimitRange", dialogs.Find("[data-testid=quota-editor-yaml]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_preview_counts_the_objects_to_create_and_names_a_namespace_already_over_the_new_limit_then_save_adds_the_policy()
    {
        Cluster("prod-eu", new() { ["env"] = "prod" }, "team-a", "team-b", "shop");
        Cluster("dev", new() { ["env"] = "dev" }, "team-c");
        Store.Apply(FleetChange.Upsert(Quota("prod-eu", "team-a", "legacy", ("requests.cpu", "12", "16"))));
        var (page, dialogs) = OpenCreate();

        dialogs.Find("input[data-testid=quota-name]").Input("team");
        dialogs.Find("input[data-testid=quota-cluster-selector]").Input("env=prod");
        dialogs.Find("input[data-testid=quota-namespace-patterns]").Input("team-*");
        dialogs.Find("input[data-testid=quota-hard-resource]").Input("requests.cpu");
        dialogs.Find("input[data-testid=quota-hard-quantity]").Input("10");

        dialogs.WaitForAssertion(() => Assert.Contains("Matches 2 namespaces in 1 cluster now (of 2 visible clusters)",
            dialogs.Find("[data-testid=quota-editor-reach]").TextContent, StringComparison.Ordinal));
        Assert.True(dialogs.Find("button[data-testid=quota-editor-save]").HasAttribute("disabled"));

        dialogs.Find("button[data-testid=quota-editor-preview]").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("2 to create", dialogs.Find("[data-testid=quota-preview-create]").TextContent.Trim()));
        Assert.Equal("Reaches 2 namespaces in 1 cluster.", dialogs.Find("[data-testid=quota-preview-reach]").TextContent.Trim());
        Assert.Equal(["prod-eu/team-a: requests.cpu uses 12, the new hard limit is 10"],
            dialogs.FindAll("[data-testid=quota-preview-over-limit-row]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["Create", "Create"], dialogs.FindAll("[data-testid=quota-preview-object]").Select(e => e.GetAttribute("data-change")));

        dialogs.Find("button[data-testid=quota-editor-save]").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=quota-name]")));
        page.WaitForAssertion(() => Assert.Equal(["team"], page.FindAll("[data-testid=quota-policy-name]").Select(e => e.TextContent)));
        Assert.Equal("generation 1", page.Find("[data-testid=quota-policy-generation]").TextContent);
    }

    [Fact]
    public async Task A_refused_save_shows_why_and_keeps_everything_typed()
    {
        Cluster("prod-eu", new() { ["env"] = "prod" }, "team-a");
        var (_, dialogs) = OpenCreate();
        dialogs.Find("input[data-testid=quota-name]").Input("team");
        dialogs.Find("input[data-testid=quota-hard-resource]").Input("pods");
        dialogs.Find("input[data-testid=quota-hard-quantity]").Input("50");
        dialogs.Find("button[data-testid=quota-editor-preview]").Click();
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("button[data-testid=quota-editor-save]").HasAttribute("disabled")));

        // Someone else creates a policy of the same name meanwhile.
        await SaveAsync(new QuotaPolicy { Name = "team", Hard = new Dictionary<string, string> { ["pods"] = "10" } });
        dialogs.Find("button[data-testid=quota-editor-save]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("A policy named 'team' exists already; edit it instead.",
            dialogs.Find("[data-testid=quota-editor-refusal]").TextContent, StringComparison.Ordinal));
        Assert.Equal("team", dialogs.Find("input[data-testid=quota-name]").GetAttribute("value"));
        Assert.Equal("50", dialogs.Find("input[data-testid=quota-hard-quantity]").GetAttribute("value"));
    }

    [Fact]
    public void Editing_the_form_after_a_preview_asks_for_a_new_one_before_saving()
    {
        Cluster("prod-eu", new() { ["env"] = "prod" }, "team-a");
        var (_, dialogs) = OpenCreate();
        dialogs.Find("input[data-testid=quota-name]").Input("team");
        dialogs.Find("input[data-testid=quota-hard-resource]").Input("pods");
        dialogs.Find("input[data-testid=quota-hard-quantity]").Input("50");
        dialogs.Find("button[data-testid=quota-editor-preview]").Click();
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("button[data-testid=quota-editor-save]").HasAttribute("disabled")));

        dialogs.Find("input[data-testid=quota-hard-quantity]").Input("40");

        dialogs.WaitForAssertion(() => Assert.True(dialogs.Find("button[data-testid=quota-editor-save]").HasAttribute("disabled")));
        Assert.NotEmpty(dialogs.FindAll("[data-testid=quota-preview-stale]"));
    }

    private (IRenderedComponent<QuotasPage> Page, IRenderedComponent<MudDialogProvider> Dialogs) OpenCreate()
    {
        var dialogs = Render<MudDialogProvider>();
        var page = Render<QuotasPage>();
        page.ClickWhenRendered("button[data-testid=quota-create]");
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("input[data-testid=quota-name]")));
        return (page, dialogs);
    }
}
