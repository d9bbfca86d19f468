using MultiCluster.Data.Replicas;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Access;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Identity;
using MultiCluster.Web.Quotas;
using MultiCluster.Web.Triage;
using MultiCluster.Web.VirtualClusters;

namespace MultiCluster.Web.Hosting;

/// <summary>
/// Who reads what again when another replica changed the registry: one line per topic of <see cref="RegistryTopics"/>. Each
/// handler only marks its reader; the reading happens on the reader's own loop, which also reads every 30 s anyway. A repair
/// a follower relayed is made by the leader's engine.
/// </summary>
public sealed class RegistryFollowing(RegistryListener listener, RegistryLeadership leadership, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var clusters = services.GetRequiredService<RegistryChanges>();
        var acknowledgements = services.GetService<ProblemAcknowledgements>();
        var quotas = services.GetService<QuotaPolicies>();
        var access = services.GetService<AccessPolicies>();
        var isolations = services.GetService<VirtualClusterIsolations>();
        var standing = services.GetService<UserStanding>();
        listener.Changed += topic =>
        {
            switch (topic)
            {
                case RegistryTopics.Clusters:
                    // The fleet watcher starts, restarts and stops watches; the Clusters page lists again.
                    clusters.Notify();
                    break;
                case RegistryTopics.Acknowledgements:
                    acknowledgements?.Changed();
                    break;
                case RegistryTopics.QuotaPolicies:
                    quotas?.Changed();
                    break;
                case RegistryTopics.Access:
                    access?.Changed();
                    break;
                case RegistryTopics.VirtualClusterIsolations:
                    isolations?.Changed();
                    break;
                case RegistryTopics.Users:
                    // Open pages and hub streams check their user again now: a disabled account ends everywhere within a second.
                    standing?.AccountsChanged.Notify();
                    break;
                case var payload when RegistryTopics.RepairOf(payload) is { } repair && leadership.IsLeading:
                    services.GetKeyedService<ReconcileEngine>(repair.OwnerKind)?.Repair(repair.Cluster, repair.Owner, repair.Namespace, relay: false);
                    break;
            }
        };
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
