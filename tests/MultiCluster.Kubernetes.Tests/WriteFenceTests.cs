using k8s;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Simulator.Api;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The engine on a replica that does not lead: it judges and reports, and writes only while its fence says it leads.</summary>
public sealed class WriteFenceTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    private static readonly QuotaPolicy Policy = new()
    {
        Name = "team-defaults",
        ClusterSelector = "env=prod",
        NamespacePatterns = ["team-*"],
        Hard = new Dictionary<string, string> { ["pods"] = "100" },
    };

    [Fact]
    public async Task A_follower_writes_nothing_until_it_leads_relays_repairs_and_a_leader_whose_lock_is_gone_stops_writing()
    {
        await using var fleet = await SimulatedQuotaFleet.StartAsync(("prod-eu", "env=prod"));
        await fleet.CreateNamespaceAsync("prod-eu", "team-a");
        await fleet.StopEngineAsync();
        var fence = new TestFence();
        var relay = new RecordingRelay();
        await fleet.StartEngineAsync([Policy], fence, relay);

        // A follower judges (every replica's pages show the targets) but leaves the writing to the leader, and sends it the
        // repairs people ask of it.
        await fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.Pending);
        Assert.True(fleet.Engine.Repair("prod-eu", "team-defaults", "team-a"));
        Assert.Equal([("policy", "prod-eu", "team-defaults", "team-a")], relay.Relayed);
        Assert.False(fleet.Engine.Repair("prod-eu", "team-defaults", "team-b"));
        Assert.Empty(Writes(fleet));
        Assert.Equal(0, fence.Asked);

        fence.Lead();
        await fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.InSync);
        var written = Writes(fleet);
        Assert.Equal(["/clusters/prod-eu/api/v1/namespaces/team-a/resourcequotas/mc-team-defaults"], written.Select(w => w.Path.Split('?')[0]));

        // The lock is gone (its connection ended) before this replica noticed: it still thinks it leads, but its check says no.
        fence.LoseWithoutNoticing();
        using var client = fleet.Client("prod-eu");
        await client.CoreV1.DeleteNamespacedResourceQuotaAsync("mc-team-defaults", "team-a");
        await fleet.WaitForAsync("prod-eu", "team-defaults", "team-a", TargetStatus.Missing);
        await Eventually.WaitForAsync(() => fence.Refused > 0, Settle, "the writer to ask, and be refused");
        Assert.Equal(written.Count, Writes(fleet).Count);
    }

    /// <summary>The engine's writes (the test's own delete is not one).</summary>
    private static List<RequestRecord> Writes(SimulatedQuotaFleet fleet) =>
        [.. fleet["prod-eu"].Requests.Recent.Where(r => r.Method != "GET" && r.Path.Contains("/resourcequotas", StringComparison.Ordinal)
            && r.UserAgent?.StartsWith("MultiCluster/", StringComparison.Ordinal) == true)];

    private sealed class RecordingRelay : IRepairRelay
    {
        public List<(string OwnerKind, string Cluster, string Owner, string? Namespace)> Relayed { get; } = [];

        public void Relay(string ownerKind, string cluster, string owner, string? ns) => Relayed.Add((ownerKind, cluster, owner, ns));
    }

    /// <summary>Leadership as the test decides it.</summary>
    private sealed class TestFence : IWriteFence
    {
        private readonly ChangeSignal _changed = new();
        private long _epoch;
        private volatile bool _held = true;
        private int _asked;
        private int _refused;

        public int Asked => Volatile.Read(ref _asked);

        public int Refused => Volatile.Read(ref _refused);

        public long Epoch => Interlocked.Read(ref _epoch);

        public void Lead()
        {
            Interlocked.Exchange(ref _epoch, 1);
            _changed.Notify();
        }

        public void LoseWithoutNoticing() => _held = false;

        public Task WaitForChangeAsync(long seen, CancellationToken cancellationToken) => _changed.WaitUntilAsync(() => Epoch != seen, cancellationToken);

        public ValueTask<bool> ConfirmAsync(long epoch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _asked);
            var leads = _held && epoch != 0 && epoch == Epoch;
            if (!leads)
            {
                Interlocked.Increment(ref _refused);
            }
            return ValueTask.FromResult(leads);
        }
    }
}
