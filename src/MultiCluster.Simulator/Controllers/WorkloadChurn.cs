using System.Text.Json.Nodes;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Controllers;

/// <summary>
/// Background churn: pods created, deleted and replaced at a set rate, so watches and dashboards see a
/// cluster that lives. Churn pods carry the label simulator.multicluster.io/churn=true.
/// </summary>
public sealed class WorkloadChurn : IAsyncDisposable
{
    public const string ChurnLabel = "simulator.multicluster.io/churn";
    private readonly SimulatedCluster _cluster;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<(string Namespace, string Name)> _created = new();
    private Task? _loop;

    internal WorkloadChurn(SimulatedCluster cluster, double perSecond, int seed)
    {
        _cluster = cluster;
        PodsPerSecond = perSecond;
        _random = new Random(seed);
    }

    /// <summary>Pod creates, deletes and replacements per second; 0 stops the churn. Can change while running.</summary>
    public double PodsPerSecond { get; set; }

    /// <summary>How many changes the churn has made.</summary>
    public long Changes { get; private set; }

    internal void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken stop)
    {
        var time = _cluster.Store.Time;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var rate = PodsPerSecond;
                await Task.Delay(rate > 0 ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.FromMilliseconds(200), time, stop);
                if (rate > 0)
                {
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
        if (roll < 0.45 || _created.Count == 0)
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
        else if (roll < 0.75)
        {
            var (ns, name) = _created.Dequeue();
            if (store.Get(ResourceCatalog.Pods, ns, name) is not null)
            {
                store.Delete(ResourceCatalog.Pods, ns, name, gracePeriodSeconds: 0);
            }
        }
        else if (roll < 0.9)
        {
            RestartContainer(store);
        }
        else
        {
            var pods = store.List(ResourceCatalog.Pods, null, LabelSelector.Parse("app,!" + ChurnLabel), FieldSelector.Everything, 50, null).Items;
            if (pods.Count > 0)
            {
                var victim = pods[_random.Next(pods.Count)];
                store.Delete(ResourceCatalog.Pods, victim.Namespace, victim.Name, gracePeriodSeconds: 0);
            }
        }
    }

    /// <summary>A status change: one container of a running pod exits and is restarted in place.</summary>
    private void RestartContainer(ClusterStore store)
    {
        var pods = store.List(ResourceCatalog.Pods, null, LabelSelector.Everything, FieldSelector.Parse("status.phase=Running", ResourceCatalog.Pods), 50, null).Items;
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
