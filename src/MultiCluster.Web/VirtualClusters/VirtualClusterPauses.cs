using System.Globalization;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.VirtualClusters;

/// <summary>
/// Which registered vClusters their hosts have paused, from the hosts' watched StatefulSets and Deployments. When a pause
/// or resume is seen (made here or by the vcluster CLI), the fleet watcher is told to load the clusters again, so a
/// paused vCluster stops being watched and shows Paused, and a resumed one is watched again.
/// </summary>
public sealed class VirtualClusterPauses(FleetStateStore store, RegistryChanges changes) : BackgroundService
{
    private static readonly FleetFilter Watched = FleetFilter.For(FleetKind.VirtualCluster);

    /// <summary>Why the vCluster of these registry labels is paused, or null when it is not one or runs.</summary>
    public string? PausedReason(IReadOnlyDictionary<string, string> labels)
    {
        if (VirtualClusterLabels.HostOf(labels) is not { } at ||
            store.Get<VirtualClusterSummary>(FleetKind.VirtualCluster, at.Host, FleetKeys.Of(at.Namespace, at.Name)) is not { Paused: true } vcluster)
        {
            return null;
        }
        var since = vcluster.PausedAt is { } when ? $" since {when.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC" : "";
        return $"Paused on {at.Host} (namespace {at.Namespace}){since}; resume it on the Virtual clusters page or with vcluster resume.";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = store.Subscribe(Watched);
        var paused = PausedOf(subscription.Snapshot, []);
        try
        {
            await foreach (var batch in subscription.ReadBatchesAsync(stoppingToken))
            {
                var now = PausedOf(batch, batch.IsSnapshot ? [] : paused);
                if (!now.SetEquals(paused))
                {
                    changes.Notify();
                }
                paused = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static HashSet<(string Cluster, string Key)> PausedOf(FleetBatch batch, HashSet<(string, string)> before)
    {
        var paused = new HashSet<(string Cluster, string Key)>(before);
        foreach (var change in batch.Changes)
        {
            if (change.Object is VirtualClusterSummary { Paused: true })
            {
                paused.Add((change.Cluster, change.Key));
            }
            else
            {
                paused.Remove((change.Cluster, change.Key));
            }
        }
        return paused;
    }
}
