using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Tests;

public sealed class AuditLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Entries_filter_by_actor_action_cluster_outcome_and_time_newest_first(DatabaseProvider provider)
    {
        await using var database = await EmptyDatabase.CreateAsync(provider);
        var clock = new ManualTimeProvider(Start);
        using var host = database.Host(clock);
        await host.MigrateAsync();
        var audit = host.Services.GetRequiredService<AuditLog>();
        await audit.RecordAsync("alice", "cluster.register", "cluster/prod", AuditOutcome.Succeeded);
        clock.Advance(TimeSpan.FromMinutes(1));
        await audit.RecordAsync("bob", "cluster.register", "cluster/dev", AuditOutcome.Failed, "connection refused");
        clock.Advance(TimeSpan.FromMinutes(1));
        await audit.RecordAsync("alice", "cluster.remove", "cluster/dev", AuditOutcome.Succeeded);
        clock.Advance(TimeSpan.FromMinutes(1));
        await audit.RecordAsync("alice", "user.sign-in", "user/alice", AuditOutcome.Succeeded);

        Assert.Equal(["user.sign-in", "cluster.remove", "cluster.register", "cluster.register"],
            (await audit.SearchAsync(new AuditQuery())).Entries.Select(e => e.Action));
        Assert.Equal(3, (await audit.SearchAsync(new AuditQuery { Actor = "alice" })).Total);
        Assert.Equal(3, (await audit.SearchAsync(new AuditQuery { Action = "cluster." })).Total);
        Assert.Equal(["cluster.remove", "cluster.register"], (await audit.SearchAsync(new AuditQuery { Cluster = "dev" })).Entries.Select(e => e.Action));
        Assert.Equal("connection refused", Assert.Single((await audit.SearchAsync(new AuditQuery { Outcome = AuditOutcome.Failed })).Entries).Detail);
        Assert.Equal(["cluster.remove", "cluster.register"],
            (await audit.SearchAsync(new AuditQuery { From = Start.AddMinutes(1), To = Start.AddMinutes(2) })).Entries.Select(e => e.Action));
    }

    [Fact]
    public async Task Pages_are_stable_and_the_total_counts_every_match()
    {
        await using var database = await EmptyDatabase.CreateAsync(DatabaseProvider.Postgres);
        var clock = new ManualTimeProvider(Start);
        using var host = database.Host(clock);
        await host.MigrateAsync();
        var audit = host.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 25; i++)
        {
            await audit.RecordAsync("ci", "cluster.test", $"cluster/c{i:00}", AuditOutcome.Succeeded);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await audit.SearchAsync(new AuditQuery { Take = 10 });
        var third = await audit.SearchAsync(new AuditQuery { Skip = 20, Take = 10 });

        Assert.Equal(25, first.Total);
        Assert.Equal("cluster/c24", first.Entries[0].Target);
        Assert.Equal(["cluster/c04", "cluster/c03", "cluster/c02", "cluster/c01", "cluster/c00"], third.Entries.Select(e => e.Target));
    }
}
