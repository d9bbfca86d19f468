using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core.Access;
using MultiCluster.Data;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Access;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Components.Pages.Access;

namespace MultiCluster.Components.Tests;

/// <summary>The "Can this person" tab, asking a simulated cluster over HTTP; a cluster the dashboard cannot ask says why in its own row.</summary>
public sealed class AccessCanITests : AccessTestContext, IAsyncLifetime
{
    private SimulatorHost _simulator = default!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "prod-eu", Nodes = 1 }] });
        var cluster = _simulator["prod-eu"];
        using var client = new k8s.Kubernetes(cluster.CreateClientConfiguration());
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "pay-api" } });
        await client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "payments-view" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = "multicluster:team:payments" }],
        }, "pay-api");
        var outcome = await Registry.GetRequiredService<ClusterRegistry>().RegisterAsync(Admin,
            [new ClusterRegistration("prod-eu", null, cluster.BaseUrl, new MultiCluster.Core.ClusterCredentials { Token = cluster.Token, CertificateAuthorityPem = cluster.CertificateAuthorityPem }, new Dictionary<string, string>())]);
        Assert.True(outcome.Succeeded, outcome.Results[0].Problem);
        // The store knows one more cluster than the registry: the dashboard holds no credentials to ask it with.
        Cluster("prod-eu", new Dictionary<string, string> { ["env"] = "prod" }, "pay-api");
        Cluster("prod-us", new Dictionary<string, string> { ["env"] = "prod" }, "pay-api");
        await SaveAsync(Payments);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public void A_viewer_asks_what_a_team_member_may_do_and_each_cluster_answers_in_one_table()
    {
        SignInAs(DashboardRoles.Viewer);
        var page = Render<AccessPage>();
        page.ClickTab("Can this person");

        page.WaitForElement("input[data-testid=cani-user]").Change("carl");
        page.Find("input[data-testid=cani-verb]").Change("list");
        page.Find("input[data-testid=cani-resource]").Change("pods");
        page.Find("input[data-testid=cani-namespace]").Change("pay-api");
        page.Find("form[data-testid=cani-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal(["prod-eu", "prod-us"], page.FindAll("[data-testid=cani-row]").Select(r => r.GetAttribute("data-cluster"))), TimeSpan.FromSeconds(20));
        Assert.Equal(["yes", "not asked"], page.FindAll("[data-testid=cani-allowed]").Select(e => e.TextContent.Trim()));
        Assert.Contains("payments-view", page.FindAll("[data-testid=cani-reason]")[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("prod-us is not registered: the dashboard holds no credentials to ask it with.", page.Find("[data-testid=cani-error]").TextContent);
        Assert.Contains("Can carl list pods in pay-api? Asked as user multicluster:user:carl with groups multicluster:team:payments, system:authenticated (teams payments).",
            page.Find("[data-testid=cani-question]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Yes on 1 of 1 cluster asked. 1 could not be asked.", page.Find("[data-testid=cani-summary]").TextContent);

        page.Find("input[data-testid=cani-namespace]").Change("kube-system");
        page.Find("input[data-testid=cani-clusters]").Change("prod-eu");
        page.Find("form[data-testid=cani-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal(["no"], page.FindAll("[data-testid=cani-allowed]").Select(e => e.TextContent.Trim())), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_person_whose_clusters_come_from_a_team_asks_about_themselves_and_only_on_those_clusters()
    {
        Cluster("dev", new Dictionary<string, string> { ["env"] = "dev" }, "pay-api");
        await SaveAsync(PaymentsView);
        // carl holds no dashboard role: payments (Operator) gives him prod-eu and prod-us, not dev.
        var carl = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Name, "carl")], "test"));

        var result = await Services.GetRequiredService<CanIReviews>().AskAsync(carl, new CanIRequest("carl", "list", "pods", "pay-api", ["prod-eu", "dev"]));

        var answers = Assert.IsType<CanIAnswer>(result.Answer).Clusters;
        Assert.Equal(["There is no cluster named 'dev' that you may see.", null], answers.Select(a => a.Problem));
        Assert.Equal([null, true], answers.Select(a => a.Allowed));
        var aboutAna = await Services.GetRequiredService<CanIReviews>().AskAsync(carl, new CanIRequest("ana", "list", "pods", "pay-api"));
        Assert.Equal((true, "Without a fleet-wide role you may ask only what you yourself may do (you asked about 'ana')."), (aboutAna.Forbidden, aboutAna.Problem));
        var stranger = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity([new(System.Security.Claims.ClaimTypes.Name, "zed")], "test"));
        Assert.True((await Services.GetRequiredService<CanIReviews>().AskAsync(stranger, new CanIRequest("carl", "list", "pods"))).Forbidden);
    }

    [Fact]
    public void An_unnamed_person_is_asked_for_in_words()
    {
        var page = Render<AccessPage>();
        page.ClickTab("Can this person");

        page.WaitForElement("form[data-testid=cani-form]").Submit();

        page.WaitForAssertion(() => Assert.Equal("Name the person to ask about.", page.Find("[data-testid=cani-problem]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=cani-table]"));
    }
}
