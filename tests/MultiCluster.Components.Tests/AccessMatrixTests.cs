using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Access;
using MultiCluster.Web.Components.Pages.Access;

namespace MultiCluster.Components.Tests;

/// <summary>The Matrix tab: teams × the clusters the reader sees, each cell the roles the team's grants give there and their worst status.</summary>
public sealed class AccessMatrixTests : AccessTestContext
{
    private static readonly Team Ops = new()
    {
        Name = "ops", DashboardRole = "Operator", Members = [new TeamMember(MemberKind.User, "olga", IsAdmin: true)],
        Ceiling = new TeamCeiling { NamespacePatterns = ["*"], Roles = ["view", "admin"], AllowClusterWide = true },
    };

    private static readonly AccessGrant OpsAdmin = new() { Name = "ops-admin", Team = "ops", Role = "admin", ClusterSelector = "env=prod", ClusterWide = true };

    [Fact]
    public void Each_cell_names_the_roles_a_teams_grants_give_on_the_cluster_within_its_ceiling_and_the_worst_status_of_their_targets()
    {
        IReadOnlyList<ClusterFacts> clusters = [new("prod-eu", Labels("prod")), new("prod-us", Labels("prod")), new("dev", Labels("dev"))];
        IReadOnlyList<NamespaceFacts> namespaces =
        [
            new("prod-eu", "pay-api", Labels()), new("prod-eu", "pay-web", Labels()), new("prod-eu", "shop", Labels()), new("prod-us", "pay-api", Labels()),
            new("dev", "pay-api", Labels()),
        ];
        PolicyTarget[] targets =
        [
            GrantTarget("payments-view", "prod-eu", "pay-api", TargetState.Of(TargetStatus.InSync)),
            GrantTarget("payments-view", "prod-eu", "pay-web", TargetState.Of(TargetStatus.Drifted)),
            GrantTarget("payments-view", "prod-us", "pay-api", TargetState.Of(TargetStatus.InSync)),
            GrantTarget("ops-admin", "prod-eu", null, TargetState.Of(TargetStatus.InSync)),
        ];
        AccessGrant[] grants = [PaymentsView, OpsAdmin, OpsAdmin with { Name = "ops-view", Role = "view", ClusterSelector = null, ClusterWide = false, NamespacePatterns = ["shop"] }];

        var view = AccessMatrix.Build([Payments, Ops], grants, clusters, namespaces, targets);

        Assert.Equal(["dev", "prod-eu", "prod-us"], view.Clusters);
        Assert.Equal(["ops", "payments"], view.Rows.Select(r => r.Team.Name));
        var ops = view.Rows[0].Cells;
        Assert.Equal(["view (no namespace yet)", "view (1 ns), admin cluster-wide", "view (no namespace yet), admin cluster-wide"], ops.Select(c => c.Text));
        Assert.Equal([null, TargetStatus.InSync, null], ops.Select(c => c.Status));
        var payments = view.Rows[1].Cells;
        // dev is beyond the payments ceiling (env=prod): no access, whatever the grant says.
        Assert.Equal(["no access", "view (2 ns)", "view (1 ns)"], payments.Select(c => c.Text));
        Assert.Equal([null, TargetStatus.Drifted, TargetStatus.InSync], payments.Select(c => c.Status));
    }

    [Fact]
    public async Task The_tab_shows_the_matrix_of_the_clusters_the_reader_sees_with_status_chips()
    {
        Cluster("prod-eu", new Dictionary<string, string> { ["env"] = "prod" }, "pay-api", "pay-web");
        Cluster("dev", new Dictionary<string, string> { ["env"] = "dev" }, "pay-api");
        Store.Apply([InSync("payments-view", "prod-eu", "pay-api"), FleetChange.Upsert(GrantTarget("payments-view", "prod-eu", "pay-web", TargetState.Of(TargetStatus.Missing)))]);
        await SaveAsync(Payments);
        await SaveAsync(PaymentsView);
        SignInAs(DashboardRoles.Viewer);

        var page = Render<AccessPage>();
        page.ClickTab("Matrix");

        page.WaitForAssertion(() => Assert.Equal(["dev", "prod-eu"], page.FindAll("[data-testid=matrix-cluster]").Select(e => e.TextContent)));
        Assert.Equal(["payments"], page.FindAll("[data-testid=matrix-team]").Select(e => e.TextContent));
        Assert.Equal(["no access", "view (2 ns)"], page.FindAll("[data-testid=matrix-roles]").Select(e => e.TextContent));
        Assert.Equal("Missing", page.Find("[data-testid=matrix-status]").GetAttribute("data-status"));

        Store.Apply([InSync("payments-view", "prod-eu", "pay-web")]);
        page.WaitForAssertion(() => Assert.Equal("InSync", page.Find("[data-testid=matrix-status]").GetAttribute("data-status")));
    }

    [Fact]
    public void Without_teams_the_tab_says_what_the_matrix_shows_and_what_to_do()
    {
        Cluster("prod-eu", new Dictionary<string, string> { ["env"] = "prod" }, "pay-api");

        var page = Render<AccessPage>();
        page.ClickTab("Matrix");

        page.WaitForAssertion(() => Assert.Contains("Create a team on the Teams tab and give it grants.", page.Find("[data-testid=matrix-empty]").TextContent, StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Labels(string? env = null) => env is null ? [] : new() { ["env"] = env };
}
