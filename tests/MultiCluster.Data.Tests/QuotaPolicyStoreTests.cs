using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Data.Tests;

/// <summary>Quota policies in the registry of both providers: saved whole with their audit entry, refused when they should be.</summary>
public sealed class QuotaPolicyStoreTests
{
    private static readonly IReadOnlyList<ClusterFacts> Clusters = [new("prod-eu", new Dictionary<string, string> { ["env"] = "prod" })];

    private static readonly IReadOnlyList<NamespaceFacts> Namespaces =
    [
        new("prod-eu", "team-a", new Dictionary<string, string>()), new("prod-eu", "tools", new Dictionary<string, string>()),
    ];

    private static readonly QuotaPolicy TeamDefaults = new()
    {
        Name = "team-defaults",
        Description = "what every team gets",
        ClusterSelector = "env=prod",
        NamespacePatterns = ["team-*"],
        Hard = new Dictionary<string, string> { ["requests.cpu"] = "20", ["pods"] = "100" },
        Scopes = ["NotTerminating"],
        Limits = [new LimitRangeItem { Type = LimitRangeItem.Container, Default = new Dictionary<string, string> { ["cpu"] = "1" }, DefaultRequest = new Dictionary<string, string> { ["cpu"] = "100m" } }],
    };

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task A_policy_is_stored_whole_versioned_and_audited(DatabaseProvider provider)
    {
        await using var database = await EmptyDatabase.CreateAsync(provider);
        using var host = database.Host();
        await host.MigrateAsync();
        var store = host.Services.GetRequiredService<QuotaPolicyStore>();

        var created = await store.SaveAsync("ann", TeamDefaults, null, Clusters, Namespaces);
        Assert.True(created.Saved, string.Join(" ", created.Problems));
        Assert.Equal(1, created.Policy!.Generation);
        var read = Assert.Single(await store.ListAsync());
        Assert.Equal(("team-defaults", "what every team gets", PolicyMode.Enforce, 0, 1L, "env=prod", (string?)null),
            (read.Name, read.Description, read.Mode, read.Priority, read.Generation, read.ClusterSelector, read.NamespaceSelector));
        Assert.Equal(["team-*"], read.NamespacePatterns);
        Assert.Equal(TeamDefaults.Hard.OrderBy(h => h.Key), read.Hard.OrderBy(h => h.Key));
        Assert.Equal("100m", read.Limits.Single().DefaultRequest["cpu"]);
        Assert.Equal(["NotTerminating"], read.Scopes);

        var updated = await store.SaveAsync("bob", read with { Mode = PolicyMode.Inform }, expectedGeneration: 1, Clusters, Namespaces);
        Assert.Equal((PolicyMode.Inform, 2L), (updated.Policy!.Mode, updated.Policy.Generation));
        // An editor that started from generation 1 does not overwrite generation 2.
        var stale = await store.SaveAsync("ann", read with { Priority = 5 }, expectedGeneration: 1, Clusters, Namespaces);
        Assert.False(stale.Saved);
        Assert.Contains("changed by someone else meanwhile (now generation 2)", Assert.Single(stale.Problems), StringComparison.Ordinal);

        Assert.True(await store.DeleteAsync("bob", "team-defaults"));
        Assert.Empty(await store.ListAsync());
        var audit = await host.Services.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery { Action = "quota-policy." });
        Assert.Equal(["quota-policy.delete", "quota-policy.update", "quota-policy.create"], audit.Entries.Select(e => e.Action));
        Assert.Equal("generation 1: Enforce; priority 0; clusters: labels env=prod; namespaces: team-*; hard pods=100, requests.cpu=20 (scopes NotTerminating); Container default cpu=1; defaultRequest cpu=100m",
            audit.Entries.Last().Detail);
    }

    [Fact]
    public async Task An_invalid_or_overlapping_policy_is_refused_and_nothing_is_written()
    {
        await using var database = await EmptyDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = database.Host();
        await host.MigrateAsync();
        var store = host.Services.GetRequiredService<QuotaPolicyStore>();
        Assert.True((await store.SaveAsync("ann", TeamDefaults, null, Clusters, Namespaces)).Saved);

        var invalid = await store.SaveAsync("ann", TeamDefaults with { Name = "other", Hard = new Dictionary<string, string> { ["pods"] = "lots" } }, null, Clusters, Namespaces);
        Assert.StartsWith("spec.hard[pods]: Invalid value: \"lots\"", Assert.Single(invalid.Problems), StringComparison.Ordinal);

        var overlapping = await store.SaveAsync("ann", TeamDefaults with { Name = "platform", NamespacePatterns = ["team-a", "tools"] }, null, Clusters, Namespaces);
        Assert.Equal([new QuotaOverlap("platform", "team-defaults", "prod-eu", "team-a")], overlapping.Overlaps);
        Assert.StartsWith("1 namespace(s) are written by another policy of the same priority (0): prod-eu/team-a (team-defaults).", Assert.Single(overlapping.Problems), StringComparison.Ordinal);

        Assert.True((await store.SaveAsync("ann", TeamDefaults with { Name = "platform", NamespacePatterns = ["team-a", "tools"], Priority = 10 }, null, Clusters, Namespaces)).Saved);
        Assert.Equal(["platform", "team-defaults"], (await store.ListAsync()).Select(p => p.Name));
        Assert.False((await store.SaveAsync("ann", TeamDefaults, null, Clusters, Namespaces)).Saved);
    }
}
