using MultiCluster.Core.Access;
using MultiCluster.Data;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Access;
using MultiCluster.Web.Components.Pages.Access;

namespace MultiCluster.Components.Tests;

/// <summary>The Access page's Who can and Unmanaged tabs, over the bindings and roles the informers hold.</summary>
public sealed class AccessReviewTests : AccessTestContext
{
    private static ObservedSummary Observed(FleetKind kind, string? ns, string name, IReadOnlyDictionary<string, string> fields) => new()
    {
        Kind = kind, Cluster = "prod-eu", Namespace = ns, Name = name,
        Observed = new ManagedObject("prod-eu", kind.ToString(), ns, name, new Dictionary<string, string>(), new Dictionary<string, string>(), fields),
    };

    [Fact]
    public async Task Who_can_lists_every_subject_a_binding_allows_and_unmanaged_lists_access_given_behind_the_dashboards_back()
    {
        await SaveAsync(Payments with { Members = [.. Payments.Members, new TeamMember(MemberKind.Group, "okta-payments")] });
        Store.Apply(
        [
            FleetChange.Upsert(new ClusterSummary { Cluster = "prod-eu", Health = ClusterHealth.Synced }),
            FleetChange.Upsert(Observed(FleetKind.ClusterRole, null, "log-reader", RbacFields.OfClusterRole([new AccessRule { Resources = ["pods/log"], Verbs = ["get"] }], new Dictionary<string, string>()))),
            FleetChange.Upsert(Observed(FleetKind.RoleBinding, "pay-api", "quick-fix", RbacFields.OfBinding("log-reader", [new BindingSubject("Group", "okta-payments")]))),
        ]);
        SignInAs(DashboardRoles.Viewer);
        var permissions = new AccessPermissions(Viewer);

        var whoCan = Render<WhoCanPanel>(p => p.Add(c => c.Permissions, permissions));
        whoCan.Find("input[data-testid=whocan-namespace]").Change("pay-api");
        whoCan.Find("button[data-testid=whocan-ask]").Click();

        whoCan.WaitForAssertion(() => Assert.Equal(["Group okta-payments"], whoCan.FindAll("[data-testid=whocan-subject]").Select(e => e.TextContent)));
        Assert.Contains("get pods/log in pay-api", whoCan.Find("[data-testid=whocan-question]").TextContent, StringComparison.Ordinal);

        whoCan.Find("input[data-testid=whocan-namespace]").Change("pay-web");
        whoCan.Find("button[data-testid=whocan-ask]").Click();
        whoCan.WaitForAssertion(() => Assert.Single(whoCan.FindAll("[data-testid=whocan-nobody]")));

        var unmanaged = Render<UnmanagedGrants>(p => p.Add(c => c.Permissions, permissions));
        Assert.Equal(["RoleBinding pay-api/quick-fix"], unmanaged.FindAll("[data-testid=unmanaged-binding]").Select(e => e.TextContent));
        Assert.Equal("payments", unmanaged.Find("[data-testid=unmanaged-teams]").TextContent);
    }

    private static System.Security.Claims.ClaimsPrincipal Viewer { get; } = new(new System.Security.Claims.ClaimsIdentity(
        [new(System.Security.Claims.ClaimTypes.Name, "vic"), new(System.Security.Claims.ClaimTypes.Role, DashboardRoles.Viewer)], "test"));
}
