using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;
using MultiCluster.Simulator.Api;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>
/// The informers against a simulated cluster that misbehaves the way real ones do. Whatever the faults,
/// once they stop the store comes to equal the cluster's truth. How fast is not asserted here: a loaded
/// machine only makes it slower, and <see cref="Settle"/> is where a test gives up, not a target.
/// </summary>
public sealed class ClusterWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    // Retries are capped low so that catching up after the faults stop does not wait out a 30 s backoff.
    private readonly InformerOptions _options = new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(200),
        MaxBackoff = TimeSpan.FromSeconds(2),
        UnauthorizedRetry = TimeSpan.FromSeconds(2),
        PageSize = 50,
    };

    private readonly FleetStateStore _store = new(TimeProvider.System);
    private SimulatorHost _simulator = default!;
    private ClusterWatch _watch = default!;

    private SimulatedCluster Cluster => _simulator["gamma"];

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters = [new ClusterOptions { Name = "gamma", Nodes = 3, Pods = 120 }],
            BookmarkInterval = TimeSpan.FromSeconds(1),
        });
        var cluster = new WatchedCluster("gamma", "Gamma", new Dictionary<string, string> { ["env"] = "test" }, Cluster.BaseUrl,
            new ClusterCredentials { Token = Cluster.Token, CertificateAuthorityPem = Cluster.CertificateAuthorityPem });
        _watch = new ClusterWatch(cluster, _store, new FleetProjections(new StringPool()), _options, TimeProvider.System, NullLoggerFactory.Instance);
        _watch.Start();
        await Eventually.WaitForAsync(() => _store.Cluster("gamma")?.Health == ClusterHealth.Synced, TimeSpan.FromSeconds(20), "the cluster to be Synced");
    }

    public async Task DisposeAsync()
    {
        await _watch.DisposeAsync();
        _store.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task After_the_first_list_the_store_holds_exactly_the_cluster_and_follows_creates_and_deletes()
    {
        await AssertEqualToTruthAsync();
        var summary = _store.Cluster("gamma")!;
        Assert.Equal("v1.32.2", await WaitForVersionAsync());
        Assert.Equal("Gamma", summary.DisplayName);
        Assert.Null(summary.Problem);

        using var client = new k8s.Kubernetes(Cluster.CreateClientConfiguration());
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "probe", Labels = new Dictionary<string, string> { ["app"] = "probe" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        }, "default");
        await Eventually.WaitForAsync(() => _store.Get<PodSummary>(FleetKind.Pod, "gamma", "default/probe")?.Phase == "Running", Settle, "the new pod to be Running in the store");

        await client.CoreV1.DeleteNamespacedPodAsync("probe", "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
        await Eventually.WaitForAsync(() => _store.Get<PodSummary>(FleetKind.Pod, "gamma", "default/probe") is null, Settle, "the deleted pod to leave the store");
        await AssertEqualToTruthAsync();
    }

    [Fact]
    public async Task Dropped_watches_expiry_storms_throttling_and_errors_under_churn_end_equal_to_the_truth()
    {
        Cluster.Churn.PodsPerSecond = 40;
        Cluster.Faults.TooManyRequestsRatio = 0.15;
        Cluster.Faults.InternalErrorRatio = 0.1;
        Cluster.Faults.Latency = TimeSpan.FromMilliseconds(20);
        for (var round = 0; round < 8; round++)
        {
            // Some churn between two drops, however slowly a loaded machine churns.
            var changes = Cluster.Churn.Changes;
            await Eventually.WaitForAsync(() => Cluster.Churn.Changes >= changes + 10, Settle, $"ten churn changes in round {round}");
            Cluster.Faults.DropWatches();
            if (round % 2 == 0)
            {
                // A 410 storm: every watch of every kind is told its resourceVersion expired, twice over.
                Cluster.Faults.ExpireNextWatches(10);
            }
        }
        Cluster.Faults.TooManyRequestsRatio = 0;
        Cluster.Faults.InternalErrorRatio = 0;
        Cluster.Faults.Latency = TimeSpan.Zero;
        Cluster.Churn.PodsPerSecond = 0;

        await AssertEqualToTruthAsync();
        await Eventually.WaitForAsync(() => _store.Cluster("gamma")?.Health == ClusterHealth.Synced, Settle, "the cluster to be Synced again");
    }

    [Fact]
    public async Task A_cluster_that_goes_offline_is_Unreachable_in_plain_words_and_catches_up_when_it_returns()
    {
        await Cluster.Faults.TakeOfflineAsync();
        Cluster.Churn.PodsPerSecond = 20;
        await Eventually.WaitForAsync(() => _store.Cluster("gamma") is { Health: ClusterHealth.Unreachable, Problem: { } problem } && problem.Contains("connection refused", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "the cluster to be Unreachable because the connection is refused");
        Assert.NotNull(_store.Cluster("gamma")!.LastContact);

        // Changes the dashboard cannot see, then a watch history that has moved on past them: what a long outage
        // leaves behind, without waiting out a history window.
        var changes = Cluster.Churn.Changes;
        await Eventually.WaitForAsync(() => Cluster.Churn.Changes >= changes + 40, Settle, "forty churn changes while offline");
        Cluster.Churn.PodsPerSecond = 0;
        Cluster.Faults.CompactHistory();
        await Cluster.Faults.BringOnlineAsync();

        await AssertEqualToTruthAsync();
        await Eventually.WaitForAsync(() => _store.Cluster("gamma")?.Health == ClusterHealth.Synced, Settle, "the cluster to be Synced again");
    }

    [Fact]
    public async Task A_revoked_token_shows_Unauthorized_and_is_not_retried_in_a_hot_loop()
    {
        Cluster.Faults.RevokeToken();
        Cluster.Faults.DropWatches();
        await Eventually.WaitForAsync(() => _store.Cluster("gamma")?.Health == ClusterHealth.Unauthorized, Settle, "the cluster to be Unauthorized");
        Assert.Contains("401 Unauthorized", _store.Cluster("gamma")!.Problem, StringComparison.Ordinal);

        // Each kind's next two refusals: between them it waited UnauthorizedRetry (2 s here); a hot loop asks again
        // within milliseconds. A loaded machine only lengthens the gaps, so a lower bound cannot fail by chance.
        Cluster.Requests.Clear();
        var kinds = _store.Cluster("gamma")!.Kinds.Count;
        await Eventually.WaitForAsync(() => Refusals().Count(kind => kind.Count() >= 2) == kinds, Settle, $"two refusals of each of the {kinds} kinds");
        foreach (var kind in Refusals())
        {
            var times = kind.Select(r => r.Time).Order().ToList();
            var shortest = times.Zip(times.Skip(1), (earlier, later) => later - earlier).Min();
            Assert.True(shortest >= _options.UnauthorizedRetry / 2, $"{kind.Key} was asked again after {shortest.TotalMilliseconds:0} ms.");
        }

        Cluster.Faults.RestoreToken();
        await Eventually.WaitForAsync(() => _store.Cluster("gamma")?.Health == ClusterHealth.Synced, Settle, "the cluster to be Synced again");
        await AssertEqualToTruthAsync();
    }

    [Fact]
    public async Task An_on_demand_kind_is_watched_once_however_often_started_and_forgotten_when_stopped()
    {
        var deployments = Cluster.Store.Count(MultiCluster.Simulator.Store.ResourceCatalog.Deployments);
        Assert.True(deployments > 0);

        _watch.StartOnDemand(WatchedKinds.Deployments);
        _watch.StartOnDemand(WatchedKinds.Deployments);
        await Eventually.WaitForAsync(() => _store.Count(FleetKind.Deployment, "gamma") == deployments, Settle, "the deployments in the store");
        Assert.Equal(["deployments"], _watch.OnDemandKinds);
        Assert.Contains(_store.Cluster("gamma")!.Kinds, k => k.Kind == "deployments");

        await _watch.StopOnDemandAsync("deployments", FleetKind.Deployment);
        Assert.Empty(_watch.OnDemandKinds);
        Assert.Equal(0, _store.Count(FleetKind.Deployment, "gamma"));
        Assert.DoesNotContain(_store.Cluster("gamma")!.Kinds, k => k.Kind == "deployments");
        Assert.Equal(ClusterHealth.Synced, _store.Cluster("gamma")!.Health);
    }

    [Fact]
    public async Task Two_kinds_reporting_at_once_never_leave_the_published_health_behind_either()
    {
        // Each round, two informers report a new state at the same moment; whichever publishes last, the summary in
        // the store must carry both reports (a summary built from an older reading must never overwrite a newer one).
        for (var round = 0; round < 2_000; round++)
        {
            using var start = new Barrier(2);
            var problem = $"round {round}";
            await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); _watch.StatusChanged(new KindWatchStatus("nodes", WatchState.Failing, problem)); }),
                Task.Run(() => { start.SignalAndWait(); _watch.StatusChanged(new KindWatchStatus("events", WatchState.Failing, problem)); }));
            var kinds = _store.Cluster("gamma")!.Kinds;
            Assert.True(kinds.Count(k => k.Problem == problem) == 2,
                $"Round {round}: the published summary says {string.Join(", ", kinds.Select(k => $"{k.Kind}={k.Problem}"))}");
        }
    }

    private async Task<string?> WaitForVersionAsync()
    {
        await Eventually.WaitForAsync(() => _store.Cluster("gamma")?.KubernetesVersion is not null, Settle, "the Kubernetes version");
        return _store.Cluster("gamma")!.KubernetesVersion;
    }

    /// <summary>The 401 answers since the request log was last cleared, per kind (the request's path without its query).</summary>
    private IEnumerable<IGrouping<string, RequestRecord>> Refusals() =>
        Cluster.Requests.Recent.Where(r => r.StatusCode == 401).GroupBy(r => r.Path.Split('?')[0], StringComparer.Ordinal);

    private async Task AssertEqualToTruthAsync()
    {
        // Polled until equal: the simulator's controllers may still be finishing what the last change started.
        var clock = Stopwatch.StartNew();
        string? differences;
        while ((differences = FleetTruth.Differences(Cluster, _store)) is not null && clock.Elapsed < Settle)
        {
            await Task.Delay(100);
        }
        Assert.True(differences is null, $"After {Settle.TotalSeconds} s the store still differs from the cluster: {differences}");
    }
}
