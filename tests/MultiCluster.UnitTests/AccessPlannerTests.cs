using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.UnitTests;

public sealed class AccessPlannerTests
{
    private static readonly IReadOnlyList<ClusterFacts> Clusters = [new("prod-eu", L(("env", "prod"))), new("prod-us", L(("env", "prod"))), new("dev", L(("env", "dev")))];

    private static readonly IReadOnlyList<NamespaceFacts> Namespaces =
    [
        new("prod-eu", "team-a", L()), new("prod-eu", "team-b", L()), new("prod-eu", "shop", L()), new("prod-eu", "kube-system", L()),
        new("prod-us", "team-a", L()), new("dev", "team-a", L()),
    ];

    private static readonly Team Payments = new()
    {
        Name = "payments",
        Members = [new(MemberKind.User, "ana", IsAdmin: true), new(MemberKind.Group, "okta-payments")],
        Ceiling = new TeamCeiling { ClusterSelector = "env=prod", NamespacePatterns = ["team-*"], Roles = ["view", "edit", "log-reader"] },
    };

    private static readonly AccessGrant View = new() { Name = "payments-view", Team = "payments", Role = "view", ClusterSelector = "env", NamespacePatterns = ["team-a", "shop"] };

    [Fact]
    public void A_grant_reaches_only_what_its_teams_ceiling_allows_whatever_it_says()
    {
        // The grant asks for every cluster with an env label and for shop too: the ceiling keeps it to prod and team-*.
        Assert.Equal([("prod-eu", "team-a"), ("prod-us", "team-a")], AccessPlanner.Targets(View, Payments, Clusters, Namespaces));
        Assert.Empty(AccessPlanner.Targets(View with { Role = "admin" }, Payments, Clusters, Namespaces));
        Assert.Empty(AccessPlanner.Targets(View with { ClusterWide = true, NamespacePatterns = [] }, Payments, Clusters, Namespaces));
    }

    [Fact]
    public void A_grant_becomes_a_RoleBinding_of_the_team_group_its_users_and_with_the_setting_its_identity_provider_groups()
    {
        var grant = View with { Users = ["bob"] };
        var plan = AccessPlanner.Bindings([grant], [Payments], Clusters[0], Namespaces, new AccessOptions { BindIdpGroups = true });

        var binding = Assert.Single(plan.Desired);
        Assert.Equal(("RoleBinding", "team-a", "mc-payments-view", "payments-view"), (binding.Kind, binding.Namespace, binding.Name, binding.Owner(AccessGrant.OwnerKind)));
        Assert.Equal(("ClusterRole", "view"), RbacFields.RoleRef(binding.Fields));
        Assert.Equal(["Group:multicluster:team:payments", "Group:okta-payments", "User:multicluster:user:bob"], RbacFields.Subjects(binding.Fields).Select(s => s.ToString()));
        Assert.Equal(["Group:multicluster:team:payments", "User:multicluster:user:bob"],
            RbacFields.Subjects(AccessPlanner.Bindings([grant], [Payments], Clusters[0], Namespaces, new AccessOptions()).Desired[0].Fields).Select(s => s.ToString()));
    }

    [Fact]
    public void A_role_template_is_written_as_a_ClusterRole_where_a_grant_of_it_reaches_and_cluster_wide_grants_bind_the_whole_cluster()
    {
        var template = new RoleTemplate
        {
            Name = "log-reader",
            Rules = [new AccessRule { Resources = ["pods/log", "pods"], Verbs = ["list", "get"] }],
            AggregationLabels = new Dictionary<string, string> { ["rbac.authorization.k8s.io/aggregate-to-view"] = "true" },
        };
        var team = Payments with { Ceiling = Payments.Ceiling with { AllowClusterWide = true } };
        var grant = new AccessGrant { Name = "logs", Team = "payments", Role = "log-reader", ClusterSelector = "env=prod", ClusterWide = true };

        var roles = AccessPlanner.ClusterRoles([template], [grant], [team], Clusters[0], Namespaces);
        var bindings = AccessPlanner.Bindings([grant], [team], Clusters[0], Namespaces, new AccessOptions());

        var role = Assert.Single(roles.Desired);
        Assert.Equal(("ClusterRole", "mc-log-reader", "true"), (role.Kind, role.Name, role.Labels["rbac.authorization.k8s.io/aggregate-to-view"]));
        Assert.Equal(["get", "list"], Assert.Single(RbacFields.Rules(role.Fields)).Verbs);
        var binding = Assert.Single(bindings.Desired);
        Assert.Equal(("ClusterRoleBinding", null, "mc-payments-log-reader"), (binding.Kind, binding.Namespace, binding.Name));
        Assert.Equal(("ClusterRole", "mc-log-reader"), RbacFields.RoleRef(binding.Fields));
        Assert.Empty(AccessPlanner.ClusterRoles([template], [grant], [team], Clusters[2], Namespaces).Desired);
    }

    [Fact]
    public void Beyond_the_ceiling_each_part_is_named()
    {
        var grant = new AccessGrant { Name = "too-much", Team = "payments", Role = "admin", Clusters = ["dev", "prod-eu"], NamespacePatterns = ["team-a", "shop"] };

        var problems = AccessValidation.BeyondCeiling(grant, Payments, Clusters);

        Assert.Equal(
        [
            "Role 'admin' is beyond the ceiling of team payments, which allows view, edit, log-reader.",
            "Cluster dev is beyond the ceiling of team payments (labels env=prod).",
            "Namespaces shop are beyond the ceiling of team payments (team-*).",
        ], problems);
        Assert.Empty(AccessValidation.BeyondCeiling(View with { ClusterSelector = "env=prod", NamespacePatterns = ["team-a*"] }, Payments, Clusters));
        // A team admin who does not see dev learns that the grant reaches too far, not the name of a cluster they may not see.
        Assert.Contains("1 cluster you do not see is beyond the ceiling of team payments (labels env=prod).",
            AccessValidation.BeyondCeiling(grant, Payments, Clusters, nameable: c => c != "dev"));
    }

    [Fact]
    public void Two_grants_of_one_team_and_role_over_one_namespace_overlap_and_bad_grants_are_explained()
    {
        var other = View with { Name = "payments-view-eu", ClusterSelector = null, Clusters = ["prod-eu"] };

        Assert.Equal([new GrantOverlap("payments-view-eu", "payments-view", "prod-eu", "team-a")], AccessPlanner.Overlaps(other, [View], [Payments], Clusters, Namespaces));
        Assert.Equal(
        [
            "'Bad' is not a valid grant name: use at most 60 lower-case letters, digits and '-', starting and ending with a letter or digit.",
            "'reader' is neither a Kubernetes role (view, edit, admin, cluster-admin) nor a role template.",
            "Choose the namespaces (names, patterns such as team-*, or labels), or make the grant cluster-wide.",
        ], AccessValidation.Validate(new AccessGrant { Name = "Bad", Team = "payments", Role = "reader" }, []));
    }

    private static IReadOnlyDictionary<string, string> L(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value);
}

public sealed class ShadowAccessTests
{
    [Fact]
    public void Bindings_made_behind_the_dashboards_back_that_name_a_teams_groups_are_listed_with_the_team()
    {
        var team = new Team { Name = "payments", Members = [new(MemberKind.Group, "okta-payments")] };
        ManagedObject Binding(string name, IReadOnlyDictionary<string, string> labels, params BindingSubject[] subjects) =>
            new("prod-eu", RbacFields.RoleBinding, "team-a", name, labels, new Dictionary<string, string>(), RbacFields.OfBinding("edit", subjects));
        var grant = new AccessGrant { Name = "g", Team = "payments", Role = "view" };
        var ours = AccessPlanner.Binding(grant, team, "prod-eu", "team-a", new AccessOptions());

        var found = ShadowAccess.Find(
        [
            ours,
            Binding("sneaky", new Dictionary<string, string>(), new BindingSubject("Group", "okta-payments")),
            Binding("prefix", new Dictionary<string, string>(), new BindingSubject("Group", "multicluster:team:ghost")),
            Binding("unrelated", new Dictionary<string, string>(), new BindingSubject("User", "jane")),
            // Our label on a binding of another name does not make it ours; nor does binding a fleet-wide role's group by hand.
            Binding("disguised", ManagedLabels.For(AccessGrant.OwnerKind, "g"), new BindingSubject("Group", "okta-payments")),
            Binding("fleet-escalation", new Dictionary<string, string>(), new BindingSubject("Group", "multicluster:fleet:viewer")),
        ], [team], [grant], new AccessOptions());

        Assert.Equal([("disguised", "payments"), ("fleet-escalation", ""), ("prefix", ""), ("sneaky", "payments")], found.Select(f => (f.Name, string.Join(",", f.Teams))));
        Assert.Equal("edit", found[3].Role);
    }
}

public sealed class WhoCanTests
{
    private static ManagedObject Role(string kind, string? ns, string name, params AccessRule[] rules) =>
        new("eu", kind, ns, name, new Dictionary<string, string>(), new Dictionary<string, string>(), RbacFields.OfClusterRole(rules, new Dictionary<string, string>()));

    private static ManagedObject Binding(string kind, string? ns, string name, string roleKind, string role, params BindingSubject[] subjects) =>
        new("eu", kind, ns, name, new Dictionary<string, string>(), new Dictionary<string, string>(), RbacFields.OfBinding(roleKind, role, subjects));

    [Fact]
    public void Subjects_are_allowed_by_the_bindings_whose_roles_match_verb_group_resource_subresource_and_name()
    {
        IReadOnlyList<ManagedObject> cluster =
        [
            Role("ClusterRole", null, "view", new AccessRule { Resources = ["pods", "services"], Verbs = ["get", "list", "watch"] }),
            Role("ClusterRole", null, "log-reader", new AccessRule { Resources = ["pods/log"], Verbs = ["get"] }),
            Role("Role", "team-a", "one-pod", new AccessRule { Resources = ["pods/log"], Verbs = ["get"], ResourceNames = ["api-0"] }),
            Role("ClusterRole", null, "cluster-admin", new AccessRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }),
            Binding("RoleBinding", "team-a", "viewers", "ClusterRole", "view", new BindingSubject("Group", "payments")),
            Binding("RoleBinding", "team-a", "logs", "ClusterRole", "log-reader", new BindingSubject("User", "ana")),
            Binding("RoleBinding", "team-b", "logs-b", "ClusterRole", "log-reader", new BindingSubject("User", "bob")),
            Binding("RoleBinding", "team-a", "pod-0", "Role", "one-pod", new BindingSubject("User", "carl")),
            Binding("ClusterRoleBinding", null, "admins", "ClusterRole", "cluster-admin", new BindingSubject("Group", "ops")),
        ];

        string Who(AccessQuestion q) => string.Join(", ", WhoCan.Evaluate(q, cluster).Select(a => $"{a.Subject} via {a.Binding}"));

        Assert.Equal("Group:ops via admins, User:ana via logs", Who(new AccessQuestion("get", "pods", "log", Namespace: "team-a")));
        Assert.Equal("Group:ops via admins, User:ana via logs, User:carl via pod-0", Who(new AccessQuestion("get", "pods", "log", Namespace: "team-a", Name: "api-0")));
        Assert.Equal("Group:ops via admins, Group:payments via viewers", Who(new AccessQuestion("list", "pods", Namespace: "team-a")));
        Assert.Equal("Group:ops via admins", Who(new AccessQuestion("delete", "deployments", ApiGroup: "apps", Namespace: "team-a")));
        Assert.Equal("Group:ops via admins", Who(new AccessQuestion("list", "nodes")));
    }

    [Fact]
    public void A_question_is_read_as_kubectl_auth_can_i_reads_it()
    {
        Assert.Equal(new AccessQuestion("get", "pods", "log", "", "team-a"), AccessQuestion.Parse(" get ", "pods/log", "team-a"));
        Assert.Equal(new AccessQuestion("patch", "deployments", "scale", "apps", null), AccessQuestion.Parse("patch", "deployments.apps/scale", " "));
        Assert.Equal("patch deployments/scale.apps", AccessQuestion.Parse("patch", "deployments.apps/scale", null).ToString());
    }
}
