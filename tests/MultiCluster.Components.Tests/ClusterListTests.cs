using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Components.Pages.Clusters;

namespace MultiCluster.Components.Tests;

public sealed class ClusterListTests : DashboardTestContext
{
    private readonly TestRegistry _registry = new();

    public ClusterListTests()
    {
        SignInAs(DashboardRoles.Administrator);
    }

    [Fact]
    public void An_empty_registry_says_how_to_start()
    {
        var cut = Render<ClusterList>();

        cut.WaitForAssertion(() => Assert.Contains("No clusters yet", cut.Find("[data-testid=no-clusters]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(cut.Find("[data-testid=register-cluster]"));
    }

    [Fact]
    public void Clusters_are_listed_with_labels_version_and_tls_warning()
    {
        _registry.Add(
            Cluster("prod-eu", "https://prod-eu:6443", new() { ["env"] = "prod", ["region"] = "eu-west" }, "v1.31.2"),
            Cluster("dev", "https://dev:6443", new() { ["env"] = "dev" }, "v1.30.0", insecure: true));

        var cut = Render<ClusterList>();

        cut.WaitForAssertion(() => Assert.Equal(["dev", "prod-eu"], cut.FindAll("[data-testid=cluster-name] strong").Select(e => e.TextContent)));
        Assert.Equal(["v1.30.0", "v1.31.2"], cut.FindAll("[data-testid=cluster-version]").Select(e => e.TextContent));
        Assert.Single(cut.FindAll("[aria-label='TLS verification off']"));
        Assert.Contains("env=prod", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_and_label_selector_narrow_the_table()
    {
        _registry.Add(
            Cluster("prod-eu", "https://prod-eu:6443", new() { ["env"] = "prod", ["region"] = "eu-west" }),
            Cluster("prod-us", "https://prod-us:6443", new() { ["env"] = "prod", ["region"] = "us-east" }),
            Cluster("dev", "https://dev:6443", new() { ["env"] = "dev" }));
        var cut = Render<ClusterList>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=cluster-name]").Count));

        cut.Find("input[aria-label='Filter by labels']").Input("env=prod,region in (eu-west)");

        cut.WaitForAssertion(() => Assert.Equal(["prod-eu"], cut.FindAll("[data-testid=cluster-name] strong").Select(e => e.TextContent)));

        cut.Find("input[aria-label='Filter by labels']").Input("");
        cut.Find("input[aria-label='Search clusters']").Input("us");

        cut.WaitForAssertion(() => Assert.Equal(["prod-us"], cut.FindAll("[data-testid=cluster-name] strong").Select(e => e.TextContent)));
    }

    [Fact]
    public void A_malformed_selector_is_explained_not_applied()
    {
        _registry.Add(Cluster("dev", "https://dev:6443", new() { ["env"] = "dev" }));
        var cut = Render<ClusterList>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=cluster-name]")));

        cut.Find("input[aria-label='Filter by labels']").Input("region in eu-west");

        cut.WaitForAssertion(() => Assert.Contains("write the values in parentheses", cut.Markup, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("[data-testid=cluster-name]"));
    }

    [Fact]
    public void A_viewer_sees_the_clusters_but_no_register_edit_remove_or_test()
    {
        SignInAs(DashboardRoles.Viewer);
        _registry.Add(Cluster("dev", "https://dev:6443", []));

        var cut = Render<ClusterList>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=cluster-name]")));
        Assert.Empty(cut.FindAll("[data-testid=register-cluster]"));
        Assert.Empty(cut.FindAll("[aria-label='Remove dev']"));
        Assert.Empty(cut.FindAll("[aria-label='Edit dev']"));
        Assert.Empty(cut.FindAll("[aria-label='Test connection to dev']"));
    }

    [Fact]
    public void An_operator_may_test_a_connection_but_not_register_edit_or_remove()
    {
        SignInAs(DashboardRoles.Operator);
        _registry.Add(Cluster("dev", "https://dev:6443", []));

        var cut = Render<ClusterList>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[aria-label='Test connection to dev']")));
        Assert.Empty(cut.FindAll("[data-testid=register-cluster]"));
        Assert.Empty(cut.FindAll("[aria-label='Remove dev']"));
    }

    [Fact]
    public void A_cluster_registered_elsewhere_shows_without_a_reload()
    {
        _registry.Add(Cluster("dev", "https://dev:6443", new() { ["env"] = "dev" }));
        var cut = Render<ClusterList>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=cluster-name]")));

        // A vCluster made on the Virtual clusters page, or another person's registration: the registry says it changed.
        _registry.Add(Cluster("sandbox", "https://127.0.0.1:40000", new() { ["multicluster.io/vcluster"] = "true" }));
        _registry.Services.GetRequiredService<RegistryChanges>().Notify();

        cut.WaitForAssertion(() => Assert.Equal(["dev", "sandbox"], cut.FindAll("[data-testid=cluster-name] strong").Select(e => e.TextContent)));
    }

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton(_registry.Services.GetRequiredService<ClusterRegistry>());
        services.AddSingleton(_registry.Services.GetRequiredService<RegistryChanges>());
    }

    private static Cluster Cluster(string name, string url, Dictionary<string, string> labels, string? version = null, bool insecure = false) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        DisplayName = name,
        ApiServerUrl = url,
        Labels = labels,
        KubernetesVersion = version,
        InsecureSkipTlsVerify = insecure,
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _registry.Dispose();
        }
    }
}
