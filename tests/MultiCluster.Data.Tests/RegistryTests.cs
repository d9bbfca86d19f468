using Microsoft.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using MultiCluster.Data.Entities;
using Npgsql;

namespace MultiCluster.Data.Tests;

public sealed class RegistryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Every_migration_applies_to_an_empty_database(DatabaseProvider provider)
    {
        await using var database = await EmptyDatabase.CreateAsync(provider);
        using var host = database.Host();

        await host.MigrateAsync();

        await using var db = host.CreateContext();
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Clusters.CountAsync());
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task A_cluster_round_trips_with_its_labels_and_timestamps(DatabaseProvider provider)
    {
        await using var database = await EmptyDatabase.CreateAsync(provider);
        var clock = new ManualTimeProvider(Start);
        using var host = database.Host(clock);
        await host.MigrateAsync();

        await using (var db = host.CreateContext())
        {
            db.Clusters.Add(new Cluster
            {
                Name = "prod-eu-1",
                DisplayName = "Production (EU 1)",
                ApiServerUrl = "https://10.0.0.1:6443",
                Labels = new() { ["env"] = "prod", ["region"] = "eu-west" },
            });
            await db.SaveChangesAsync();
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        await using (var db = host.CreateContext())
        {
            var cluster = await db.Clusters.SingleAsync(c => c.Name == "prod-eu-1");
            cluster.Labels["team"] = "payments";
            await db.SaveChangesAsync();
        }

        await using (var db = host.CreateContext())
        {
            var cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Name == "prod-eu-1");
            Assert.Equal("Production (EU 1)", cluster.DisplayName);
            Assert.Equal("https://10.0.0.1:6443", cluster.ApiServerUrl);
            Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["region"] = "eu-west", ["team"] = "payments" }, cluster.Labels);
            Assert.Equal(Start, cluster.CreatedAt);
            Assert.Equal(Start.AddMinutes(5), cluster.UpdatedAt);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Two_clusters_cannot_share_a_name(DatabaseProvider provider)
    {
        await using var database = await EmptyDatabase.CreateAsync(provider);
        using var host = database.Host();
        await host.MigrateAsync();
        await using (var db = host.CreateContext())
        {
            db.Clusters.Add(new Cluster { Name = "staging", ApiServerUrl = "https://a:6443" });
            await db.SaveChangesAsync();
        }

        await using (var db = host.CreateContext())
        {
            db.Clusters.Add(new Cluster { Name = "staging", ApiServerUrl = "https://b:6443" });
            var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

            if (provider == DatabaseProvider.Postgres)
            {
                Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(ex.InnerException).SqlState);
            }
            else
            {
                Assert.Equal(19, Assert.IsType<SqliteException>(ex.InnerException).SqliteErrorCode); // SQLITE_CONSTRAINT
            }
        }

        await using (var db = host.CreateContext())
        {
            Assert.Equal("https://a:6443", (await db.Clusters.SingleAsync()).ApiServerUrl);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Audit_entries_filter_and_sort_by_time_in_the_database(DatabaseProvider provider)
    {
        await using var database = await EmptyDatabase.CreateAsync(provider);
        using var host = database.Host();
        await host.MigrateAsync();
        await using (var db = host.CreateContext())
        {
            for (var minute = 0; minute < 5; minute++)
            {
                db.AuditEntries.Add(new AuditEntry
                {
                    Time = Start.AddMinutes(minute),
                    Actor = "admin",
                    Action = "cluster.register",
                    Target = $"cluster/c{minute}",
                    Outcome = minute == 3 ? AuditOutcome.Failed : AuditOutcome.Succeeded,
                });
            }
            await db.SaveChangesAsync();
        }

        await using (var db = host.CreateContext())
        {
            var from = Start.AddMinutes(1);
            var to = Start.AddMinutes(3);
            var targets = await db.AuditEntries
                .Where(a => a.Time >= from && a.Time <= to)
                .OrderByDescending(a => a.Time)
                .Select(a => new { a.Target, a.Outcome })
                .ToListAsync();

            Assert.Equal(["cluster/c3", "cluster/c2", "cluster/c1"], targets.Select(t => t.Target));
            Assert.Equal(AuditOutcome.Failed, targets[0].Outcome);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task The_model_has_no_changes_missing_from_the_migrations(DatabaseProvider provider)
    {
        await using var database = await EmptyDatabase.CreateAsync(provider);
        using var host = database.Host();
        await using var db = host.CreateContext();

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {provider} model differs from its last migration: add one with `dotnet ef migrations add` (see README).");
    }
}
