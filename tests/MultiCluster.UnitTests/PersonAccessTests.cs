using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.UnitTests;

public sealed class PersonAccessTests
{
    private static readonly Team Payments = new()
    {
        Name = "payments", DashboardRole = "Operator",
        Members = [new TeamMember(MemberKind.User, "ana"), new TeamMember(MemberKind.Group, "sso:payments")],
        Ceiling = new TeamCeiling { ClusterSelector = "env=prod", NamespacePatterns = ["team-*"], Roles = ["view"] },
    };

    private static readonly AccessGrant View = new() { Name = "payments-view", Team = "payments", Role = "view", ClusterSelector = "env=prod", NamespacePatterns = ["team-a"] };

    private static readonly ClusterFacts ProdEu = new("prod-eu", new Dictionary<string, string> { ["env"] = "prod" });

    private static readonly ClusterFacts Dev = new("dev", new Dictionary<string, string> { ["env"] = "dev" });

    [Fact]
    public void A_member_by_name_or_group_holds_the_teams_role_where_its_grants_reach_and_nowhere_else()
    {
        var ana = PersonAccess.Of("ana", [], [Payments], [View]);
        var bob = PersonAccess.Of("bob", ["sso:payments"], [Payments], [View]);
        var zed = PersonAccess.Of("zed", [], [Payments], [View]);

        Assert.Equal(("Operator", null), (ana.RoleOn(ProdEu), ana.RoleOn(Dev)));
        Assert.Equal("Operator", bob.RoleOn(ProdEu));
        Assert.Null(zed.RoleOn(ProdEu));
    }

    [Fact]
    public void A_grant_beyond_the_teams_ceiling_gives_no_cluster()
    {
        var edit = View with { Name = "payments-edit", Role = "edit" };
        Assert.Null(PersonAccess.Of("ana", [], [Payments], [edit]).RoleOn(ProdEu));
    }

    [Fact]
    public void The_impersonated_groups_are_the_teams_the_fleet_wide_roles_and_system_authenticated()
    {
        var options = new AccessOptions();
        Assert.Equal(["multicluster:team:payments", "system:authenticated"], PersonAccess.Of("ana", [], [Payments], [View]).KubernetesGroups(options));
        Assert.Equal(["multicluster:team:payments", "multicluster:fleet:viewer", "system:authenticated"],
            PersonAccess.Of("ana", [], [Payments], [View], fleetRole: "Viewer").KubernetesGroups(options));
        Assert.Equal("multicluster:user:ana", PersonAccess.Of("ana", [], [], []).KubernetesUser(options));
    }

    [Fact]
    public void A_refusal_says_what_the_person_holds_on_the_cluster()
    {
        Assert.Equal("Your access to prod-eu (team payments: view in team-a) does not allow reading logs in team-b.",
            PersonAccess.Of("ana", [], [Payments], [View]).Refusal(ProdEu, "reading logs in team-b"));
        Assert.Equal("Your access to dev (fleet-wide Viewer) does not allow reading logs in team-b.",
            PersonAccess.Of("ana", [], [Payments], [View], fleetRole: "Viewer").Refusal(Dev, "reading logs in team-b"));
        Assert.Equal("Your access to dev (no team of yours has a grant there) does not allow deleting pods.",
            PersonAccess.Of("zed", [], [Payments], [View]).Refusal(Dev, "deleting pods"));
    }

    [Fact]
    public void Every_cluster_gets_one_binding_per_fleet_wide_role_to_its_cluster_role()
    {
        var plan = FleetRoles.Plan(ProdEu, new AccessOptions());

        Assert.Equal(["mc-fleet-administrator", "mc-fleet-operator", "mc-fleet-viewer"], plan.Desired.Select(o => o.Name));
        Assert.All(plan.Desired, o => Assert.Equal((RbacFields.ClusterRoleBinding, (string?)null, "prod-eu"), (o.Kind, o.Namespace, o.Cluster)));
        Assert.Equal(["administrator", "operator", "viewer"], plan.Modes.Keys.Order(StringComparer.Ordinal));
    }
}

public sealed class TeamValidationTests
{
    [Theory]
    [InlineData("system:authenticated")]
    [InlineData("system:unauthenticated")]
    [InlineData("system:serviceaccounts")]
    [InlineData("multicluster:fleet:administrator")]
    [InlineData("multicluster:team:other")]
    public void A_kubernetes_system_group_or_one_of_the_dashboards_cannot_be_a_member(string group)
    {
        var team = new Team { Name = "payments", Members = [new TeamMember(MemberKind.Group, group)] };

        Assert.Contains(AccessValidation.Validate(team), p => p.StartsWith($"Group '{group}' cannot be a member", StringComparison.Ordinal));
    }

    [Fact]
    public void An_identity_provider_group_can()
    {
        Assert.Empty(AccessValidation.Validate(new Team { Name = "payments", Members = [new TeamMember(MemberKind.Group, "okta:payments-devs")] }));
    }
}
