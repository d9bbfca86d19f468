using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Components.Pages.Quotas;

namespace MultiCluster.Components.Tests;

/// <summary>One quota policy's page: its summary and its targets, live.</summary>
public sealed class QuotaPolicyDetailTests : QuotaTestContext
{
    private static readonly QuotaPolicy Team = new()
    {
        Name = "team", Mode = PolicyMode.Inform, NamespacePatterns = ["team-*"],
        Hard = new Dictionary<string, string> { ["requests.cpu"] = "10" },
        Limits = [new LimitRangeItem { Type = LimitRangeItem.Container, Default = new Dictionary<string, string> { ["cpu"] = "500m" } }],
    };

    [Fact]
    public async Task Where_two_policies_meet_both_pages_say_which_one_writes()
    {
        Cluster("prod-eu", new Dictionary<string, string>(), "team-a", "team-b");
        await SaveAsync(Team);
        await SaveAsync(new QuotaPolicy { Name = "payments", Priority = 10, NamespacePatterns = ["team-a"], Hard = new Dictionary<string, string> { ["pods"] = "10" } });

        var team = Render<QuotaPolicyDetail>(p => p.Add(d => d.Name, "team"));
        var payments = Render<QuotaPolicyDetail>(p => p.Add(d => d.Name, "payments"));

        team.WaitForAssertion(() => Assert.StartsWith("gives way to payments in 1 namespace", team.Find("[data-testid=quota-summary-meetings]").TextContent, StringComparison.Ordinal));
        payments.WaitForAssertion(() => Assert.StartsWith("wins over team in 1 namespace", payments.Find("[data-testid=quota-summary-meetings]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_drifted_target_opens_its_differences_and_failing_targets_say_why()
    {
        await SaveAsync(Team);
        Store.Apply(
        [
            FleetChange.Upsert(Target("team", "prod-eu", "team-a", PolicyMode.Inform, InSync(QuotaFields.ResourceQuota), InSync(QuotaFields.LimitRange))),
            FleetChange.Upsert(Target("team", "prod-eu", "team-b", PolicyMode.Inform,
                new ObjectState(QuotaFields.ResourceQuota, "mc-team", new TargetState(TargetStatus.Drifted, [new FieldDifference("spec.hard.requests.cpu", "10", "12")])),
                InSync(QuotaFields.LimitRange))),
            FleetChange.Upsert(Target("team", "prod-us", "team-c", PolicyMode.Inform,
                new ObjectState(QuotaFields.ResourceQuota, "mc-team", TargetState.Of(TargetStatus.Error, "resourcequotas \"mc-team\" is forbidden: exceeded write budget")))),
        ]);

        var cut = Render<QuotaPolicyDetail>(p => p.Add(d => d.Name, "team"));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=quota-target]").Count));
        Assert.Equal("team-*", cut.Find("[data-testid=quota-summary-namespaces]").TextContent);
        Assert.Equal(["InSync", "Drifted", "Error"], cut.FindAll("[data-testid=quota-target]").Select(e => e.GetAttribute("data-status")));
        Assert.Equal(["resourcequotas \"mc-team\" is forbidden: exceeded write budget"], cut.FindAll("[data-testid=quota-target-message]").Select(e => e.TextContent));
        Assert.Empty(cut.FindAll("[data-testid=quota-target-differences]"));

        cut.Find("button[data-testid=quota-target-toggle]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=quota-target-difference]")));
        Assert.Equal("spec.hard.requests.cpu", cut.Find("[data-testid=quota-difference-path]").TextContent);
        Assert.Equal("10", cut.Find("[data-testid=quota-difference-desired]").TextContent);
        Assert.Equal("12", cut.Find("[data-testid=quota-difference-actual]").TextContent);
        Assert.Equal("true", cut.Find("button[data-testid=quota-target-toggle]").GetAttribute("aria-expanded"));
        // Inform mode: the drifted and the failed target may be repaired by hand; the one in sync needs nothing.
        Assert.Equal(["Repair prod-eu/team-b", "Repair prod-us/team-c"], cut.FindAll("[data-testid=quota-target-repair]").Select(e => e.GetAttribute("aria-label")));

        Store.Apply(FleetChange.Upsert(Target("team", "prod-eu", "team-b", PolicyMode.Inform, InSync(QuotaFields.ResourceQuota), InSync(QuotaFields.LimitRange))));

        cut.WaitForAssertion(() => Assert.Equal(["InSync", "InSync", "Error"], cut.FindAll("[data-testid=quota-target]").Select(e => e.GetAttribute("data-status"))));
        Assert.Empty(cut.FindAll("[data-testid=quota-target-differences]"));
    }

    [Fact]
    public async Task The_status_and_namespace_filters_narrow_the_targets()
    {
        await SaveAsync(Team);
        Store.Apply(
        [
            FleetChange.Upsert(Target("team", "prod-eu", "team-a", PolicyMode.Inform, InSync(QuotaFields.ResourceQuota))),
            FleetChange.Upsert(Target("team", "prod-eu", "team-b", PolicyMode.Inform, new ObjectState(QuotaFields.ResourceQuota, "mc-team", TargetState.Of(TargetStatus.Missing)))),
        ]);
        var cut = Render<QuotaPolicyDetail>(p => p.Add(d => d.Name, "team"));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=quota-target]").Count));

        cut.Find("input[data-testid=quota-target-namespace-filter]").Input("TEAM-B");

        cut.WaitForAssertion(() => Assert.Equal(["team-b"], cut.FindAll("[data-testid=quota-target-namespace]").Select(e => e.TextContent)));

        cut.Find("input[data-testid=quota-target-namespace-filter]").Input("nothing");

        cut.WaitForAssertion(() => Assert.Contains("No target matches these filters", cut.Find("[data-testid=quota-targets-empty]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_viewer_sees_the_targets_but_no_edit_delete_or_repair()
    {
        SignInAs(DashboardRoles.Viewer);
        await SaveAsync(Team);
        Store.Apply(FleetChange.Upsert(Target("team", "prod-eu", "team-b", PolicyMode.Inform, new ObjectState(QuotaFields.ResourceQuota, "mc-team", TargetState.Of(TargetStatus.Missing)))));

        var cut = Render<QuotaPolicyDetail>(p => p.Add(d => d.Name, "team"));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=quota-target]")));
        Assert.Empty(cut.FindAll("[data-testid=quota-target-repair]"));
        Assert.Empty(cut.FindAll("[data-testid=quota-edit]"));
        Assert.Empty(cut.FindAll("[data-testid=quota-delete]"));
    }

    [Fact]
    public async Task Delete_asks_first_naming_what_goes_and_from_where()
    {
        await SaveAsync(Team);
        Store.Apply(
        [
            FleetChange.Upsert(Target("team", "prod-eu", "team-a", PolicyMode.Inform, InSync(QuotaFields.ResourceQuota))),
            FleetChange.Upsert(Target("team", "prod-eu", "team-b", PolicyMode.Inform, InSync(QuotaFields.ResourceQuota))),
            FleetChange.Upsert(Target("team", "prod-us", "team-c", PolicyMode.Inform, InSync(QuotaFields.ResourceQuota))),
        ]);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<QuotaPolicyDetail>(p => p.Add(d => d.Name, "team"));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=quota-target]").Count));

        cut.Find("button[data-testid=quota-delete]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains(
            "Deletes policy team and its ResourceQuota and LimitRange mc-team from 3 namespaces in 2 clusters.", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Deletes policy team", dialogs.Markup, StringComparison.Ordinal));
        Assert.NotNull(await Policies.FindAsync("team"));

        cut.Find("button[data-testid=quota-delete]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Deletes policy team", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/quotas", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        Assert.Null(await Policies.FindAsync("team"));
    }

    [Fact]
    public async Task An_edit_saves_from_the_generation_it_started_with_and_a_change_made_meanwhile_is_not_overwritten()
    {
        var stored = await SaveAsync(Team);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<QuotaPolicyDetail>(p => p.Add(d => d.Name, "team"));
        cut.ClickWhenRendered("button[data-testid=quota-edit]");
        dialogs.WaitForAssertion(() => Assert.True(dialogs.Find("input[data-testid=quota-name]").HasAttribute("disabled")));
        Assert.Equal("10", dialogs.Find("input[data-testid=quota-hard-quantity]").GetAttribute("value"));

        await SaveAsync(stored with { Description = "changed elsewhere" }, stored.Generation);
        dialogs.Find("input[data-testid=quota-hard-quantity]").Input("12");
        dialogs.Find("button[data-testid=quota-editor-preview]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal("0 to create", dialogs.Find("[data-testid=quota-preview-create]").TextContent.Trim()));
        dialogs.Find("button[data-testid=quota-editor-save]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("was changed by someone else meanwhile (now generation 2)",
            dialogs.Find("[data-testid=quota-editor-refusal]").TextContent, StringComparison.Ordinal));
        Assert.Equal("12", dialogs.Find("input[data-testid=quota-hard-quantity]").GetAttribute("value"));
        Assert.Equal("changed elsewhere", (await Policies.FindAsync("team"))!.Description);
    }
}
