using System.Diagnostics;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Benchmarks;

/// <summary>
/// What the engine's benchmarks share: simulated clusters of team namespaces served over HTTP, watched by the real
/// informers into a store, a client per cluster for edits made behind the dashboard's back, and the timing helpers.
/// </summary>
public sealed class EngineFleet : IAsyncDisposable
{
    private readonly SimulatorHost _simulator;
    private readonly FleetWatcher _watcher;
    private readonly List<ReconcileEngine> _engines = [];

    private EngineFleet(SimulatorHost simulator, FleetStateStore store, FleetWatcher watcher, IReadOnlyList<string> names)
    {
        _simulator = simulator;
        Store = store;
        _watcher = watcher;
        Names = names;
        Clients = names.ToDictionary(n => n, n => new k8s.Kubernetes(simulator[n].CreateClientConfiguration()));
    }

    public FleetStateStore Store { get; }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyDictionary<string, k8s.Kubernetes> Clients { get; }

    public ReconcileOptions Options { get; } = new();

    public SimulatedCluster this[string name] => _simulator[name];

    /// <summary><paramref name="clusters"/> clusters of <paramref name="namespacesPerCluster"/> namespaces <c>team-000</c>…, all Synced.</summary>
    public static async Task<EngineFleet> StartAsync(int clusters, int namespacesPerCluster)
    {
        var names = Enumerable.Range(0, clusters).Select(c => $"cluster-{c:00}").ToList();
        var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters = [.. names.Select(n => new ClusterOptions { Name = n, Nodes = 1, Pods = 0, Namespaces = [.. Enumerable.Range(0, namespacesPerCluster).Select(i => $"team-{i:000}")] })],
        });
        var store = new FleetStateStore(TimeProvider.System);
        var watcher = new FleetWatcher(new Fixed([.. names.Select(n => new WatchedCluster(n, n, new Dictionary<string, string>(), simulator[n].BaseUrl,
            new ClusterCredentials { Token = simulator[n].Token, CertificateAuthorityPem = simulator[n].CertificateAuthorityPem }))]),
            store, new FleetProjections(new StringPool()), new InformerOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        await watcher.StartAsync(CancellationToken.None);
        var fleet = new EngineFleet(simulator, store, watcher, names);
        await WaitAsync(() => names.All(n => store.Cluster(n)?.Health == ClusterHealth.Synced), TimeSpan.FromMinutes(2), "every cluster Synced");
        return fleet;
    }

    /// <summary>Starts an engine for <paramref name="source"/>; it stops with the fleet.</summary>
    public async Task<ReconcileEngine> StartEngineAsync(IReconcileSource source)
    {
        var engine = new ReconcileEngine(source, Store, _watcher, new NoJournal(), Options, TimeProvider.System, NullLogger<ReconcileEngine>.Instance);
        await engine.StartAsync(CancellationToken.None);
        _engines.Add(engine);
        return engine;
    }

    public int Count(string ownerKind, TargetStatus status) =>
        Store.All<PolicyTarget>(FleetKind.PolicyTarget).Count(t => t.OwnerKind == ownerKind && t.Status == status);

    /// <summary>One namespace made in each cluster, each timed from its creation until <paramref name="inSync"/> says its target is InSync.</summary>
    public async Task<Percentiles> NewNamespaceLatencyAsync(string name, Func<string, bool> inSync)
    {
        var latencies = new List<double>();
        foreach (var cluster in Names)
        {
            var created = Stopwatch.StartNew();
            await Clients[cluster].CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new k8s.Models.V1ObjectMeta { Name = name } });
            await WaitAsync(() => inSync(cluster), TimeSpan.FromSeconds(30), $"{name} of {cluster} InSync");
            latencies.Add(created.Elapsed.TotalMilliseconds);
        }
        return Percentiles.Of(latencies);
    }

    /// <summary>The most writes the engine made to one cluster within any one second (a sliding window over the request logs; the benchmarks' own edits are not server-side applies).</summary>
    public int PeakWritesPerSecond() => Names.Max(n =>
    {
        var times = _simulator[n].Requests.Recent
            .Where(r => r.Method == "PATCH" && r.Path.Contains("fieldManager=multicluster", StringComparison.Ordinal))
            .Select(r => r.Time).Order().ToList();
        var peak = 0;
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] >= TimeSpan.FromSeconds(1))
            {
                first++;
            }
            peak = Math.Max(peak, last - first + 1);
        }
        return peak;
    });

    public static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    public static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {what}.");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Clients.Values)
        {
            client.Dispose();
        }
        foreach (var engine in _engines)
        {
            await engine.StopAsync(CancellationToken.None);
        }
        await _watcher.StopAsync(CancellationToken.None);
        Store.Dispose();
        await _simulator.DisposeAsync();
    }

    private sealed class Fixed(IReadOnlyList<WatchedCluster> clusters) : IWatchedClusterSource
    {
        public Task<IReadOnlyList<WatchedCluster>> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(clusters);

        public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.Delay(timeout, cancellationToken);
    }

    private sealed class NoJournal : IReconcileJournal
    {
        public Task RecordAsync(IReadOnlyList<ReconcileSummary> summaries, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
