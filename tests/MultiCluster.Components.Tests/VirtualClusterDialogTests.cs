using MudBlazor;
using MultiCluster.Web.Components.Pages.VirtualClusters;

namespace MultiCluster.Components.Tests;

/// <summary>The Virtual clusters page's dialogs: create (checked as typed), pause's confirmation, delete's plan and refusal.</summary>
public sealed class VirtualClusterDialogTests : VirtualClusterTestContext
{
    private readonly IRenderedComponent<MudDialogProvider> _dialogs;
    private readonly IRenderedComponent<MudSnackbarProvider> _snackbars;

    public VirtualClusterDialogTests()
    {
        _dialogs = Dialogs();
        _snackbars = Snackbars();
    }

    [Fact]
    public void The_create_dialog_lists_every_problem_as_it_is_typed_and_creates_only_when_there_is_none()
    {
        Cluster("prod-eu", []);
        var page = Render<VirtualClustersPage>();
        page.Find("button[data-testid=vcluster-create]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("input[data-testid=vcluster-name]")));

        // The only host is chosen for the person; the name is missing.
        Assert.Equal(["A vCluster needs a name."], Problems());
        Assert.True(Submit().HasAttribute("disabled"));

        _dialogs.Find("input[data-testid=vcluster-name]").Input("Team_A");
        _dialogs.WaitForAssertion(() => Assert.Contains("'Team_A' is not a valid vCluster name", _dialogs.Find("[data-testid=vcluster-create-dialog]").TextContent, StringComparison.Ordinal));

        _dialogs.Find("input[data-testid=vcluster-name]").Input("team-a");
        _dialogs.WaitForAssertion(() => Assert.Empty(Problems()));
        Assert.Equal("vcluster-team-a", _dialogs.Find("input[data-testid=vcluster-namespace]").GetAttribute("placeholder"));
        Assert.Equal("20", _dialogs.Find("input[data-testid='vcluster-quota-hard-count/pods']").GetAttribute("value"));
        Assert.False(Submit().HasAttribute("disabled"));

        _dialogs.Find("input[data-testid=vcluster-namespace]").Input("kube-team");
        _dialogs.Find("input[data-testid=vcluster-version-field]").Input("1.31");
        _dialogs.Find("input[data-testid='vcluster-quota-hard-requests.cpu']").Input("lots");
        _dialogs.Find("input[data-testid='vcluster-limits-request-memory']").Input("1Gi");
        _dialogs.Find("input[data-testid=vcluster-labels]").Input("env");
        _dialogs.WaitForAssertion(() => Assert.Equal(5, Problems().Count));
        var problems = string.Join("\n", Problems());
        Assert.Contains("'env' is not a label: write it as key=value.", problems, StringComparison.Ordinal);
        Assert.Contains("A vCluster does not go into 'kube-team'", problems, StringComparison.Ordinal);
        Assert.Contains("'1.31' is not a Kubernetes version: write it as v1.31.1.", problems, StringComparison.Ordinal);
        Assert.Contains("The quota of requests.cpu is 'lots'", problems, StringComparison.Ordinal);
        Assert.Contains("The default request of memory (1Gi) is above its default limit (512Mi).", problems, StringComparison.Ordinal);
        Assert.True(Submit().HasAttribute("disabled"));

        // Without isolation the quota and limit range are not asked for, so their problems go.
        _dialogs.Find("input[data-testid=vcluster-isolation]").Change(false);
        _dialogs.WaitForAssertion(() => Assert.Equal(3, Problems().Count));
        Assert.Empty(_dialogs.FindAll("[data-testid=vcluster-quota]"));
    }

    [Fact]
    public void A_create_the_host_has_no_room_for_is_refused_in_its_words_and_the_form_stays_as_typed()
    {
        Cluster("prod-eu", []);
        var page = Render<VirtualClustersPage>();
        page.Find("button[data-testid=vcluster-create]").Click();
        _dialogs.WaitForAssertion(() => Assert.NotEmpty(_dialogs.FindAll("input[data-testid=vcluster-name]")));
        _dialogs.Find("input[data-testid=vcluster-name]").Input("team-a");
        _dialogs.WaitForAssertion(() => Assert.False(Submit().HasAttribute("disabled")));

        Submit().Click();

        _dialogs.WaitForAssertion(() => Assert.StartsWith("prod-eu has room for 0 CPU and 0 of memory",
            _dialogs.Find("[data-testid=vcluster-result]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Equal("team-a", _dialogs.Find("input[data-testid=vcluster-name]").GetAttribute("value"));
        Assert.False(Submit().HasAttribute("disabled"));
    }

    [Fact]
    public void Pausing_asks_first_saying_what_a_pause_does_then_says_how_it_went()
    {
        Cluster("prod-eu", []);
        VirtualCluster("prod-eu", "team-a", podStatus: "Running");
        var page = Render<VirtualClustersPage>();

        page.Find("button[data-testid=vcluster-pause]").Click();
        _dialogs.WaitForAssertion(() => Assert.Contains(
            "Pausing stops vCluster team-a's control plane and deletes its workloads' pods on the host; its objects are kept and come back on resume.",
            _dialogs.Markup, StringComparison.Ordinal));
        _dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Pause").Click();

        // The host is not registered here, so the service cannot reach it and says so.
        _snackbars.WaitForAssertion(() => Assert.Contains("No vCluster named team-a runs in namespace vcluster-team-a of prod-eu.", _snackbars.Markup, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.False(page.Find("button[data-testid=vcluster-pause]").HasAttribute("disabled")));
    }

    [Fact]
    public void A_non_deletable_vcluster_cannot_be_deleted_and_a_refused_plan_shows_no_delete_button()
    {
        Cluster("prod-eu", []);
        VirtualCluster("prod-eu", "kept", nonDeletable: true);
        VirtualCluster("prod-eu", "team-a", podStatus: "Running");
        var page = Render<VirtualClustersPage>();

        var kept = page.Find("[data-key='prod-eu/vcluster-kept/kept'] button[data-testid=vcluster-delete]");
        Assert.True(kept.HasAttribute("disabled"));

        page.Find("[data-key='prod-eu/vcluster-team-a/team-a'] button[data-testid=vcluster-delete]").Click();

        _dialogs.WaitForAssertion(() => Assert.Equal("No vCluster named team-a runs in namespace vcluster-team-a of prod-eu.",
            _dialogs.Find("[data-testid=vcluster-delete-refused]").TextContent.Trim()));
        Assert.Empty(_dialogs.FindAll("[data-testid=vcluster-delete-submit]"));
        _dialogs.Find("button[data-testid=vcluster-delete-cancel]").Click();
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll("[data-testid=vcluster-delete-dialog]")));
    }

    private List<string> Problems() => [.. _dialogs.FindAll("[data-testid=vcluster-problem]").Select(e => e.TextContent.Trim())];

    private AngleSharp.Dom.IElement Submit() => _dialogs.Find("button[data-testid=vcluster-submit]");
}
