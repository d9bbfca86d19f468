using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Core;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.Tests;

/// <summary>The registry's one path for registering, editing, testing and removing, against PostgreSQL and the simulator.</summary>
public sealed class ClusterRegistryTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private static readonly ClaimsPrincipal Admin = User("alice", DashboardRoles.Administrator);
    private static readonly ClaimsPrincipal Viewer = User("victor", DashboardRoles.Viewer);

    [Fact]
    public async Task A_registration_saves_the_cluster_its_sealed_credentials_and_its_audit_entry_together()
    {
        var name = Unique("reg");

        var outcome = await fixture.Registry.RegisterAsync(Admin, [Registration(name, "one")]);

        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Results.Select(r => r.Problem)));
        await using var db = fixture.CreateContext();
        var cluster = await db.Clusters.SingleAsync(c => c.Name == name);
        Assert.Equal("v1.31.4", cluster.KubernetesVersion);
        Assert.Null(cluster.LastConnectionProblem);
        Assert.Equal(1, await db.ClusterCredentials.CountAsync(c => c.ClusterId == cluster.Id));
        var entry = await db.AuditEntries.SingleAsync(a => a.Target == $"cluster/{name}");
        Assert.Equal(("alice", "cluster.register", AuditOutcome.Succeeded), (entry.Actor, entry.Action, entry.Outcome));
    }

    [Fact]
    public async Task A_batch_with_one_bad_cluster_saves_nothing_and_audits_the_failure()
    {
        var good = Unique("good");
        var bad = Unique("bad");
        var wrongToken = Registration(bad, "two") with { Credentials = Credentials("two") with { Token = "wrong" } };

        var outcome = await fixture.Registry.RegisterAsync(Admin, [Registration(good, "one"), wrongToken]);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("The connection test failed: The API server refused these credentials (401 Unauthorized)", outcome.Results[1].Problem, StringComparison.Ordinal);
        Assert.Equal("Not registered, because another cluster of this request failed.", outcome.Results[0].Problem);
        await using var db = fixture.CreateContext();
        Assert.False(await db.Clusters.AnyAsync(c => c.Name == good || c.Name == bad));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Target == $"cluster/{good}"));
        Assert.Equal(AuditOutcome.Failed, (await db.AuditEntries.SingleAsync(a => a.Target == $"cluster/{bad}")).Outcome);
    }

    [Fact]
    public async Task A_taken_name_is_refused_without_a_second_row()
    {
        var name = Unique("taken");
        Assert.True((await fixture.Registry.RegisterAsync(Admin, [Registration(name, "one")])).Succeeded);

        var again = await fixture.Registry.RegisterAsync(Admin, [Registration(name, "two")]);

        Assert.Equal($"A cluster named '{name}' is already registered.", Assert.Single(again.Results).Problem);
        await using var db = fixture.CreateContext();
        Assert.Equal(1, await db.Clusters.CountAsync(c => c.Name == name));
    }

    [Fact]
    public async Task A_viewer_cannot_register_edit_or_remove()
    {
        var name = Unique("guarded");
        Assert.True((await fixture.Registry.RegisterAsync(Admin, [Registration(name, "one")])).Succeeded);

        var register = await fixture.Registry.RegisterAsync(Viewer, [Registration(Unique("sneaky"), "one")]);
        var edit = await fixture.Registry.UpdateAsync(Viewer, name, "renamed", null);
        var remove = await fixture.Registry.RemoveAsync(Viewer, name);

        Assert.Equal("Only an Administrator can register clusters.", Assert.Single(register.Results).Problem);
        Assert.Equal("Only an Administrator can edit clusters.", edit);
        Assert.Equal("Only an Administrator can remove clusters.", remove);
        Assert.Equal(name, (await fixture.Registry.FindAsync(name))?.DisplayName);
    }

    [Fact]
    public async Task Edits_and_removal_are_audited_and_removal_takes_the_credentials()
    {
        var name = Unique("edit");
        Assert.True((await fixture.Registry.RegisterAsync(Admin, [Registration(name, "one")])).Succeeded);

        Assert.Null(await fixture.Registry.UpdateAsync(Admin, name, "Edited", new Dictionary<string, string> { ["env"] = "staging" }));
        Assert.Null(await fixture.Registry.UpdateAsync(Admin, name, "Edited", new Dictionary<string, string> { ["env"] = "staging" }));
        var id = (await fixture.Registry.FindAsync(name))!.Id;
        Assert.Null(await fixture.Registry.RemoveAsync(Admin, name));

        await using var db = fixture.CreateContext();
        var actions = await db.AuditEntries.Where(a => a.Target == $"cluster/{name}").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["cluster.register", "cluster.edit", "cluster.remove"], actions);
        Assert.Contains("labels '' → 'env=staging'", (await db.AuditEntries.SingleAsync(a => a.Target == $"cluster/{name}" && a.Action == "cluster.edit")).Detail, StringComparison.Ordinal);
        Assert.False(await db.ClusterCredentials.AnyAsync(c => c.ClusterId == id));
    }

    [Fact]
    public async Task A_connection_test_of_a_registered_cluster_records_what_it_found()
    {
        var name = Unique("probe");
        Assert.True((await fixture.Registry.RegisterAsync(Admin, [Registration(name, "two")])).Succeeded);
        fixture.Simulator["two"].Faults.RevokeToken();
        try
        {
            var result = await fixture.Registry.TestAsync(Admin, name);

            Assert.False(result!.Succeeded);
            var cluster = await fixture.Registry.FindAsync(name);
            Assert.Equal(result.Problem, cluster!.LastConnectionProblem);
            Assert.Equal("v1.32.2", cluster.KubernetesVersion);
        }
        finally
        {
            fixture.Simulator["two"].Faults.RestoreToken();
        }
        Assert.True((await fixture.Registry.TestAsync(Admin, name))!.Succeeded);
        Assert.Null((await fixture.Registry.FindAsync(name))!.LastConnectionProblem);
    }

    private ClusterRegistration Registration(string name, string simulated) =>
        new(name, null, fixture.Simulator[simulated].BaseUrl, Credentials(simulated), new Dictionary<string, string>());

    private ClusterCredentials Credentials(string simulated) => new()
    {
        Token = fixture.Simulator[simulated].Token,
        CertificateAuthorityPem = fixture.Simulator.CertificateAuthorityPem,
    };

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "test"));
}
