using MultiCluster.Core.VirtualClusters;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Hosting;

namespace MultiCluster.Web.VirtualClusters;

/// <summary>
/// The isolation of the vClusters the dashboard created, handed to the engine from the registry (at start, on every
/// change here and every 30 s), so their ResourceQuota and LimitRange are written as the dashboard and repaired.
/// </summary>
public sealed class VirtualClusterIsolations(VirtualClusterIsolationStore isolations, VirtualClusterIsolationSource source, TimeProvider time, ILogger<VirtualClusterIsolations> logger)
    : RegistryMirror(time, logger, "vCluster isolations")
{
    public async Task<bool> AddAsync(VirtualClusterIsolationSpec isolation, CancellationToken cancellationToken)
    {
        var added = await isolations.AddAsync(isolation, cancellationToken);
        await ReloadAsync(cancellationToken);
        return added;
    }

    public async Task RemoveAsync(string host, string name, CancellationToken cancellationToken)
    {
        if (await isolations.RemoveAsync(host, name, cancellationToken))
        {
            await ReloadAsync(cancellationToken);
        }
    }

    public Task<VirtualClusterIsolationSpec?> FindAsync(string host, string name, CancellationToken cancellationToken) => isolations.FindAsync(host, name, cancellationToken);

    public override async Task ReloadAsync(CancellationToken cancellationToken = default) => source.Set(await isolations.ListAsync(cancellationToken));
}
