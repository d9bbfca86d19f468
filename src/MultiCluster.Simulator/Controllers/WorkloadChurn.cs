using System.Text.Json.Nodes;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// Background churn: pods created, deleted, restarted and replaced at a set rate, so watches and dashboards see a
/// cluster that lives, while the cluster keeps the size it was asked for: churn pods (labelled
/// simulator.multicluster.io/churn=true) come and go in equal measure and never number more than 1% of the seeded
/// pods (at least 5), and a replaced pod is one its ReplicaSet makes again.
/// </summary>
public sealed class WorkloadChurn : IAsyncDisposable
{
    public const string ChurnLabel = "simulator.multicluster.io/churn";
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    // Parsed once: the churn lists with them several times a second in every cluster.
    private static readonly LabelSelector WorkloadPods = LabelSelector.Parse("app,!" + ChurnLabel);
    private static readonly FieldSelector RunningPods = FieldSelector.Parse("status.phase=Running", ResourceCatalog.Pods);
    private readonly SimulatedCluster _cluster;
    private readonly Random _random;
    private readonly int _maxChurnPods;
    private readonly int _seededPods;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<(string Namespace, string Name)> _created = new();
    private Task? _loop;

    internal WorkloadChurn(SimulatedCluster cluster, double perSecond, int seed, int seededPods)
    {
        _cluster = cluster;
        PodsPerSecond = perSecond;
        _random = new Random(seed);
        _maxChurnPods = Math.Max(5, seededPods / 100);
        _seededPods = seededPods;
    }

    /// <summary>Pod creates, deletes, restarts and replacements per second; 0 stops the churn. Can change while running.</summary>
    public double PodsPerSecond { get; set; }

    /// <summary>How many changes the churn has made.</summary>
    public long Changes { get; private set; }

    internal void Start() => _loop = SimulationThreads.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken stop)
    {
        var time = _cluster.Store.Time;
        // Paced by the clock rather than by one delay per change: a timer cannot wake every few milliseconds, so the
        // changes that fell due since the last tick are made together (at most a second's worth after a stall).
        var owed = 0.0;
        try
        {
            // Churn starts once the cluster holds the pods it was seeded with: while 150 clusters seed, churn would only
            // compete with the controllers creating, scheduling and starting them.
            while (_cluster.Store.Count(ResourceCatalog.Pods) < _seededPods)
            {
                await Task.Delay(Tick * 5, time, stop);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var last = time.GetUtcNow();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var rate = PodsPerSecond;
                var wait = rate > 0 ? TimeSpan.FromSeconds(Math.Clamp(1 / rate, Tick.TotalSeconds, 1)) : Tick * 2;
                await Task.Delay(wait, time, stop);
                var now = time.GetUtcNow();
                owed = rate > 0 ? Math.Min(owed + (rate * (now - last).TotalSeconds), Math.Max(1, rate)) : 0;
                last = now;
                while (owed >= 1)
                {
                    owed--;
                    Step();
                    Changes++;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Api.ApiException)
            {
                // The namespace or pod changed under us; churn on.
            }
        }
    }

    private void Step()
    {
        var store = _cluster.Store;
        var roll = _random.NextDouble();
        // Creates and deletes of churn pods are equally likely, and bounded: the pod count stays where it was asked to be.
        var create = roll < 0.35 ? _created.Count < _maxChurnPods : roll < 0.7 && _created.Count == 0;
        if (create)
        {
            CreateChurnPod(store);
        }
        else if (roll < 0.7)
        {
            DeleteOldestChurnPod(store);
        }
        else if (roll < 0.9)
        {
            RestartContainer(store);
        }
        else
        {
            var pods = store.List(ResourceCatalog.Pods, null, WorkloadPods, FieldSelector.Everything, 50, null).Items;
            if (pods.Count > 0)
            {
                var victim = pods[_random.Next(pods.Count)];
                store.Delete(ResourceCatalog.Pods, victim.Namespace, victim.Name, gracePeriodSeconds: 0);
            }
        }
    }

    private void CreateChurnPod(ClusterStore store)
    {
        var namespaces = store.Snapshot(ResourceCatalog.Namespaces).Select(n => n.Name).Where(n => !n.StartsWith("kube-", StringComparison.Ordinal)).ToList();
        var ns = namespaces[_random.Next(namespaces.Count)];
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["generateName"] = "churn-", ["labels"] = new JsonObject { [ChurnLabel] = "true", ["app"] = "churn" } },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "job",
                    ["image"] = "busybox:1.36",
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "10m", ["memory"] = "16Mi" } },
                }),
            },
        };
        var created = store.Create(ResourceCatalog.Pods, ns, pod);
        _created.Enqueue((created.Namespace, created.Name));
    }

    /// <summary>Deletes the oldest churn pod still there (one someone else deleted is skipped, not counted as deleted).</summary>
    private void DeleteOldestChurnPod(ClusterStore store)
    {
        while (_created.TryDequeue(out var pod))
        {
            if (store.Get(ResourceCatalog.Pods, pod.Namespace, pod.Name) is not null)
            {
                store.Delete(ResourceCatalog.Pods, pod.Namespace, pod.Name, gracePeriodSeconds: 0);
                return;
            }
        }
    }

    /// <summary>A status change: one container of a running pod exits and is restarted in place.</summary>
    private void RestartContainer(ClusterStore store)
    {
        var pods = store.List(ResourceCatalog.Pods, null, LabelSelector.Everything, RunningPods, 50, null).Items;
        if (pods.Count == 0)
        {
            return;
        }
        var victim = pods[_random.Next(pods.Count)];
        var now = ClusterStore.Timestamp(store.Time.GetUtcNow());
        store.Mutate(ResourceCatalog.Pods, victim.Namespace, victim.Name, pod =>
        {
            if (pod["status"]?["containerStatuses"]?[0] is not JsonObject container || container["state"]?["running"] is null)
            {
                return false;
            }
            container["lastState"] = new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["exitCode"] = 1, ["reason"] = "Error", ["startedAt"] = container["state"]!["running"]!["startedAt"]!.DeepClone(), ["finishedAt"] = now,
                },
            };
            container["restartCount"] = (JsonNumber.Int(container["restartCount"]) ?? 0) + 1;
            container["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
            return true;
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _stop.Dispose();
    }
}
