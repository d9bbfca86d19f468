using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MultiCluster.Data.Entities;
using MultiCluster.Data.Replicas;
using Npgsql;
using Xunit.Abstractions;

namespace MultiCluster.Data.Tests;

/// <summary>What lets several replicas share one registry: leadership, notifications, and SQLite's refusal of a second replica.</summary>
public sealed class ReplicaTests(ITestOutputHelper output)
{
    private static readonly LeadershipTimings Fast = new()
    {
        Try = TimeSpan.FromMilliseconds(200),
        Check = TimeSpan.FromMilliseconds(200),
        Fresh = TimeSpan.FromMilliseconds(100),
        Settle = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public async Task One_replica_leads_and_another_takes_over_when_the_server_ends_the_leader_s_connection()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        var first = Leadership(database);
        var second = Leadership(database);
        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(() => first.IsLeading || second.IsLeading, TimeSpan.FromSeconds(10));
            var (leader, follower) = first.IsLeading ? (first, second) : (second, first);
            var epoch = leader.Epoch;
            Assert.False(follower.IsLeading);
            Assert.Equal(0, follower.Epoch);
            Assert.StartsWith("Follows", follower.Describe(), StringComparison.Ordinal);
            Assert.True(await leader.ConfirmAsync(epoch, CancellationToken.None));
            Assert.False(await follower.ConfirmAsync(follower.Epoch, CancellationToken.None));

            var cut = Stopwatch.StartNew();
            Assert.Equal(1, await TerminateLockHolderAsync(database));
            await WaitUntilAsync(() => follower.IsLeading, TimeSpan.FromSeconds(15));
            output.WriteLine($"Takeover after the leader's connection ended: {cut.ElapsedMilliseconds} ms");

            // The old leader may not have noticed yet, but a write of its epoch is refused: the check goes to the dead connection.
            Assert.False(await leader.ConfirmAsync(epoch, CancellationToken.None));
            Assert.False(leader.IsLeading);
            Assert.True(await follower.ConfirmAsync(follower.Epoch, CancellationToken.None));
            // It comes back as a follower, not a second leader.
            await WaitUntilAsync(() => leader.Connected, TimeSpan.FromSeconds(10));
            Assert.False(leader.IsLeading);
        }
        finally
        {
            await first.StopAsync(CancellationToken.None);
            await second.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_leader_that_stops_frees_the_lock_at_once()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        var first = Leadership(database);
        await first.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => first.IsLeading, TimeSpan.FromSeconds(10));
        var second = Leadership(database);
        await second.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(() => second.Connected, TimeSpan.FromSeconds(10));
            Assert.False(second.IsLeading);

            await first.StopAsync(CancellationToken.None);

            Assert.False(first.IsLeading);
            await WaitUntilAsync(() => second.IsLeading, TimeSpan.FromSeconds(5));
        }
        finally
        {
            await second.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_save_is_announced_to_listeners_by_topic_and_a_lost_listener_reads_everything_again()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        using var host = new RegistryHost(DatabaseProvider.Postgres, database.ConnectionString);
        await host.MigrateAsync();
        var listener = new RegistryListener(PostgresOptions(database), TimeProvider.System, NullLogger<RegistryListener>.Instance);
        var topics = Channel.CreateUnbounded<string>();
        listener.Changed += topic => topics.Writer.TryWrite(topic);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            // Connecting says every topic changed: what was written before LISTEN is read again.
            Assert.Equal(RegistryTopics.All.Order(), (await ReadAsync(topics, RegistryTopics.All.Count)).Order());

            var saved = Stopwatch.StartNew();
            await using (var db = host.CreateContext())
            {
                db.Clusters.Add(new Cluster { Name = "announced", ApiServerUrl = "https://10.0.0.1:6443" });
                await db.SaveChangesAsync();
            }
            Assert.Equal([RegistryTopics.Clusters], await ReadAsync(topics, 1));
            output.WriteLine($"Notification {saved.ElapsedMilliseconds} ms after the save began");
            await using (var db = host.CreateContext())
            {
                db.AuditEntries.Add(new AuditEntry { Actor = "test", Action = "nothing.shared", Target = "none", Outcome = AuditOutcome.Succeeded });
                await db.SaveChangesAsync();
                db.Clusters.Remove(db.Clusters.Single(c => c.Name == "announced"));
                await db.SaveChangesAsync();
            }
            // The audit entry concerns no replica: only the removal is announced.
            Assert.Equal([RegistryTopics.Clusters], await ReadAsync(topics, 1));

            await using (var admin = new NpgsqlConnection(database.ConnectionString))
            {
                await admin.OpenAsync();
                await using var terminate = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'multicluster-listener' AND datname = current_database()", admin);
                Assert.Equal(1L, await terminate.ExecuteScalarAsync());
            }
            Assert.Equal(RegistryTopics.All.Order(), (await ReadAsync(topics, RegistryTopics.All.Count)).Order());
            Assert.True(listener.Listening);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(typeof(Cluster), RegistryTopics.Clusters)]
    [InlineData(typeof(ClusterCredential), RegistryTopics.Clusters)]
    [InlineData(typeof(ProblemAcknowledgement), RegistryTopics.Acknowledgements)]
    [InlineData(typeof(QuotaPolicyRecord), RegistryTopics.QuotaPolicies)]
    [InlineData(typeof(TeamRecord), RegistryTopics.Access)]
    [InlineData(typeof(AccessGrantRecord), RegistryTopics.Access)]
    [InlineData(typeof(RoleTemplateRecord), RegistryTopics.Access)]
    [InlineData(typeof(VirtualClusterIsolationRecord), RegistryTopics.VirtualClusterIsolations)]
    [InlineData(typeof(DashboardUser), RegistryTopics.Users)]
    [InlineData(typeof(PersonalAccessToken), RegistryTopics.Users)]
    [InlineData(typeof(Microsoft.AspNetCore.Identity.IdentityUserRole<string>), RegistryTopics.Users)]
    [InlineData(typeof(AuditEntry), null)]
    [InlineData(typeof(Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey), null)]
    public void Each_kept_entity_has_the_topic_its_readers_follow(Type entity, string? topic) => Assert.Equal(topic, RegistryTopics.Of(entity));

    [Fact]
    public void A_repair_request_travels_as_a_payload_that_no_topic_is_mistaken_for()
    {
        var request = new RepairRequest("policy", "prod-eu", "team-defaults", null);

        Assert.Equal(request, RegistryTopics.RepairOf(RegistryTopics.Repair(request)));
        Assert.All(RegistryTopics.All, topic => Assert.Null(RegistryTopics.RepairOf(topic)));
        Assert.Null(RegistryTopics.RepairOf("repair {not json"));
    }

    [Fact]
    public void Sqlite_serves_one_replica_and_the_second_is_told_which_setting_selects_PostgreSQL()
    {
        var directory = Directory.CreateTempSubdirectory("multicluster-sqlite-lock-").FullName;
        try
        {
            var options = new DatabaseOptions { DataDirectory = directory };
            var held = SqliteReplicaLock.Take(options);

            var refused = Assert.Throws<RegistryUnavailableException>(() => SqliteReplicaLock.Take(options));

            Assert.Contains("Another MultiCluster process already serves the SQLite registry", refused.Message, StringComparison.Ordinal);
            Assert.Contains("set Database:Provider to 'Postgres' and ConnectionStrings:Registry", refused.Message, StringComparison.Ordinal);
            held.Dispose();
            SqliteReplicaLock.Take(options).Dispose();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IOptions<DatabaseOptions> PostgresOptions(TestPostgres database) =>
        Options.Create(new DatabaseOptions { Provider = "Postgres", ConnectionString = database.ConnectionString });

    private static RegistryLeadership Leadership(TestPostgres database) =>
        new(PostgresOptions(database), TimeProvider.System, NullLogger<RegistryLeadership>.Instance, Fast);

    /// <summary>Ends, from the server's side, the session that holds the leadership's advisory lock; returns how many it ended.</summary>
    private static async Task<long> TerminateLockHolderAsync(TestPostgres database)
    {
        await using var admin = new NpgsqlConnection(database.ConnectionString);
        await admin.OpenAsync();
        await using var terminate = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            admin);
        return (long)(await terminate.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> ReadAsync(Channel<string> topics, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = new List<string>();
        while (read.Count < count)
        {
            read.Add(await topics.Reader.ReadAsync(timeout.Token));
        }
        // Nothing more than asked for arrives with them.
        await Task.Delay(200);
        Assert.False(topics.Reader.TryRead(out var extra), $"Unexpected topic {extra}");
        return read;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < limit, $"Not reached within {limit.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
