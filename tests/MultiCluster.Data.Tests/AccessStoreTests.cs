using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Tests;

/// <summary>Teams, grants and role templates in the registry of both providers: stored whole and audited, refused when they should be.</summary>
public sealed class AccessStoreTests
{
    private static readonly IReadOnlyList<ClusterFacts> Clusters =
        [new("prod-eu", new Dictionary<string, string> { ["env"] = "prod" }), new("dev", new Dictionary<string, string> { ["env"] = "dev" })];

    private static readonly IReadOnlyList<NamespaceFacts> Namespaces = [new("prod-eu", "team-a", new Dictionary<string, string>())];

    private static readonly Team Payments = new()
    {
        Name = "payments",
        Description = "the payments team",
        DashboardRole = "Operator",
        Members = [new(MemberKind.User, "ana", IsAdmin: true), new(MemberKind.Group, "okta-payments")],
        Ceiling = new TeamCeiling { ClusterSelector = "env=prod", NamespacePatterns = ["team-*"], Roles = ["view", "log-reader"] },
    };

    private static readonly AccessGrant View = new() { Name = "payments-view", Team = "payments", Role = "view", ClusterSelector = "env=prod", NamespacePatterns = ["team-*"] };

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Teams_grants_and_templates_are_stored_whole_versioned_and_audited(DatabaseProvider provider)
    {
        await using var database = await EmptyDatabase.CreateAsync(provider);
        using var host = database.Host();
        await host.MigrateAsync();
        var store = host.Services.GetRequiredService<AccessStore>();

        Assert.Empty((await store.SaveTeamAsync("root", Payments, null)).Problems);
        Assert.Empty((await store.SaveTemplateAsync("root", new RoleTemplate { Name = "log-reader", Rules = [new AccessRule { Resources = ["pods/log"], Verbs = ["get"] }] }, null)).Problems);
        var saved = await store.SaveGrantAsync("ana", View with { Users = ["bob"] }, null, Clusters, Namespaces);
        Assert.Empty(saved.Problems);

        var team = Assert.Single(await store.ListTeamsAsync());
        Assert.Equal(("payments", "Operator", 1L, "env=prod"), (team.Name, team.DashboardRole, team.Generation, team.Ceiling.ClusterSelector));
        Assert.Equal(Payments.Members, team.Members);
        var grant = Assert.Single(await store.ListGrantsAsync());
        Assert.Equal(("payments-view", "payments", "view", "bob"), (grant.Name, grant.Team, grant.Role, Assert.Single(grant.Users)));
        Assert.Equal(["get"], Assert.Single(Assert.Single(await store.ListTemplatesAsync()).Rules).Verbs);

        var updated = await store.SaveTeamAsync("root", team with { DashboardRole = "Viewer" }, expectedGeneration: 1);
        Assert.Equal(2L, updated.Saved!.Generation);
        var stale = await store.SaveTeamAsync("root", team with { Description = "stale" }, expectedGeneration: 1);
        Assert.Contains("changed by someone else meanwhile (now generation 2)", Assert.Single(stale.Problems), StringComparison.Ordinal);

        Assert.Equal(new AccessProblem("Team 'payments' still has 1 grant(s); delete them first.", AccessRefusal.Invalid), await store.DeleteTeamAsync("root", "payments"));
        Assert.Equal(AccessRefusal.NotFound, (await store.DeleteTeamAsync("root", "nobody"))?.Refusal);
        Assert.Null(await store.DeleteGrantAsync("ana", "payments-view"));
        Assert.Null(await store.DeleteTeamAsync("root", "payments"));
        var audit = await host.Services.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery { Action = "grant." });
        Assert.Equal(["grant.delete", "grant.create"], audit.Entries.Select(e => e.Action));
        Assert.Contains("team payments as view in clusters labels env=prod, namespaces team-*, and users bob", audit.Entries[1].Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task A_grant_beyond_its_teams_ceiling_or_over_another_is_refused_and_the_refusal_audited(DatabaseProvider provider)
    {
        await using var database = await EmptyDatabase.CreateAsync(provider);
        using var host = database.Host();
        await host.MigrateAsync();
        var store = host.Services.GetRequiredService<AccessStore>();
        await store.SaveTeamAsync("root", Payments, null);
        await store.SaveGrantAsync("ana", View, null, Clusters, Namespaces);

        var beyond = await store.SaveGrantAsync("ana", View with { Name = "everything", Role = "admin", ClusterSelector = null }, null, Clusters, Namespaces);
        var twice = await store.SaveGrantAsync("ana", View with { Name = "payments-view-eu", ClusterSelector = null, Clusters = ["prod-eu"] }, null, Clusters, Namespaces);

        Assert.Equal(
        [
            "Role 'admin' is beyond the ceiling of team payments, which allows view, log-reader.",
            "Cluster dev is beyond the ceiling of team payments (labels env=prod).",
        ], beyond.Problems);
        Assert.Equal(["Grant 'payments-view' already binds team payments as view in prod-eu/team-a: change that grant instead."], twice.Problems);
        var refusals = await host.Services.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery { Action = "grant.refused" });
        Assert.Equal((2, AuditOutcome.Failed, "ana"), (refusals.Entries.Count, refusals.Entries[0].Outcome, refusals.Entries[0].Actor));
        Assert.Single(await store.ListGrantsAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Two_teams_grants_that_would_write_one_binding_name_are_refused(DatabaseProvider provider)
    {
        await using var database = await EmptyDatabase.CreateAsync(provider);
        using var host = database.Host();
        await host.MigrateAsync();
        var store = host.Services.GetRequiredService<AccessStore>();
        var ceiling = new TeamCeiling { ClusterSelector = "env=prod", NamespacePatterns = ["team-*"], Roles = ["view", "b-view"] };
        Assert.Empty((await store.SaveTemplateAsync("root", new RoleTemplate { Name = "b-view", Rules = [new AccessRule { Resources = ["pods"], Verbs = ["get"] }] }, null)).Problems);
        Assert.Empty((await store.SaveTeamAsync("root", new Team { Name = "a", Ceiling = ceiling }, null)).Problems);
        Assert.Empty((await store.SaveTeamAsync("root", new Team { Name = "a-b", Ceiling = ceiling }, null)).Problems);
        Assert.Empty((await store.SaveGrantAsync("root", new AccessGrant { Name = "a-b-view", Team = "a", Role = "b-view", ClusterSelector = "env=prod", NamespacePatterns = ["team-a"] }, null, Clusters, Namespaces)).Problems);

        var clash = await store.SaveGrantAsync("root", new AccessGrant { Name = "ab-view", Team = "a-b", Role = "view", ClusterSelector = "env=prod", NamespacePatterns = ["team-a"] }, null, Clusters, Namespaces);

        Assert.Equal("Grant 'a-b-view' of team a is written as binding mc-a-b-view too, and two teams' bindings cannot share a name: use a role template of another name.", Assert.Single(clash.Problems));
    }
}
