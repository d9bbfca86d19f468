using System.Collections.Concurrent;
using System.Globalization;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.VirtualClusters;

/// <summary>
/// Which registered vClusters their hosts have paused, from the hosts' watched StatefulSets and Deployments. When a pause
/// or resume is seen (made here or by the vcluster CLI), the fleet watcher is told to load the clusters again, so a
/// paused vCluster stops being watched and shows Paused, and a resumed one is watched again once its control plane is
/// ready (until then it stays Paused, "resuming", rather than Unreachable with a triage row).
/// </summary>
public sealed class VirtualClusterPauses(FleetStateStore store, RegistryChanges changes) : BackgroundService
{
    private static readonly FleetFilter Watched = FleetFilter.For(FleetKind.VirtualCluster, FleetKind.Cluster);

    /// <summary>vClusters seen paused and then resumed whose control plane has no ready pod yet.</summary>
    private readonly ConcurrentDictionary<(string Cluster, string Key), bool> _resuming = new();

    /// <summary>Hosts whose vClusters were held back because the host had not listed them yet.</summary>
    private readonly ConcurrentDictionary<string, bool> _waitingHosts = new(StringComparer.Ordinal);

    /// <summary>
    /// Why the vCluster of these registry labels is not to be watched now, or null when it is not one or runs.
    /// <paramref name="registered"/>: the registered clusters, so a host that is registered but has not listed its vClusters
    /// yet (the dashboard just started) holds them back rather than letting a paused one show Unreachable.
    /// </summary>
    public string? PausedReason(IReadOnlyDictionary<string, string> labels, IReadOnlySet<string> registered)
    {
        if (VirtualClusterLabels.HostOf(labels) is not { } at)
        {
            return null;
        }
        if (registered.Contains(at.Host) && store.Cluster(at.Host) is null or { Health: ClusterHealth.Connecting })
        {
            _waitingHosts[at.Host] = true;
            return $"Waiting for {at.Host} to list its vClusters, to know whether this one runs.";
        }
        if (store.Get<VirtualClusterSummary>(FleetKind.VirtualCluster, at.Host, FleetKeys.Of(at.Namespace, at.Name)) is not { } vcluster)
        {
            return null;
        }
        if (vcluster.Paused)
        {
            var since = vcluster.PausedAt is { } when ? $" since {when.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC" : "";
            return $"Paused on {at.Host} (namespace {at.Namespace}){since}; resume it on the Virtual clusters page or with vcluster resume.";
        }
        return _resuming.ContainsKey((vcluster.Cluster, vcluster.Key))
            ? $"Resuming on {at.Host} (namespace {at.Namespace}): waiting for its control plane to be ready."
            : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = store.Subscribe(Watched);
        var known = new Dictionary<(string Cluster, string Key), VirtualClusterSummary>();
        var held = Held(Apply(subscription.Snapshot, known));
        try
        {
            await foreach (var batch in subscription.ReadBatchesAsync(stoppingToken))
            {
                var now = Held(Apply(batch, known));
                if (!now.SetEquals(held) | HostsListed(batch))
                {
                    changes.Notify();
                }
                held = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether a host some vClusters waited for has now listed them (it is past Connecting).</summary>
    private bool HostsListed(FleetBatch batch)
    {
        var listed = false;
        foreach (var change in batch.Changes)
        {
            if (change.Object is ClusterSummary { Health: not ClusterHealth.Connecting } host && _waitingHosts.TryRemove(host.Cluster, out _))
            {
                listed = true;
            }
        }
        return listed;
    }

    /// <summary>Applies a batch to what is known, noting vClusters that go from paused to resumed.</summary>
    private Dictionary<(string Cluster, string Key), VirtualClusterSummary> Apply(FleetBatch batch, Dictionary<(string Cluster, string Key), VirtualClusterSummary> known)
    {
        if (batch.IsSnapshot)
        {
            known.Clear();
        }
        foreach (var change in batch.Changes.Where(c => c.Kind == FleetKind.VirtualCluster))
        {
            var key = (change.Cluster, change.Key);
            if (change.Object is VirtualClusterSummary vcluster)
            {
                if (known.TryGetValue(key, out var before) && before.Paused && !vcluster.Paused)
                {
                    _resuming[key] = true;
                }
                known[key] = vcluster;
            }
            else
            {
                known.Remove(key);
            }
        }
        foreach (var key in _resuming.Keys.Where(k => !known.TryGetValue(k, out var v) || v.Paused || v.ReadyReplicas > 0).ToList())
        {
            _resuming.TryRemove(key, out _);
        }
        return known;
    }

    private HashSet<(string Cluster, string Key)> Held(Dictionary<(string Cluster, string Key), VirtualClusterSummary> known) =>
        [.. known.Where(k => k.Value.Paused || _resuming.ContainsKey(k.Key)).Select(k => k.Key)];
}
