using Microsoft.EntityFrameworkCore;
using MultiCluster.Data;
using MultiCluster.Data.Replicas;
using MultiCluster.Kubernetes.Reconcile;

namespace MultiCluster.Web.Hosting;

/// <summary>
/// A Repair asked of a follower goes to the leader as a notification (<see cref="RegistryTopics.Repair"/>); the leader's
/// <see cref="RegistryFollowing"/> hands it to its engine. Sent in the background: the person's request has been accepted.
/// </summary>
public sealed partial class RegistryRepairRelay(IDbContextFactory<RegistryDbContext> factory, ILogger<RegistryRepairRelay> logger) : IRepairRelay
{
    public void Relay(string ownerKind, string cluster, string owner, string? ns) =>
        _ = SendAsync(new RepairRequest(ownerKind, cluster, owner, ns));

    private async Task SendAsync(RepairRequest request)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync();
            await RegistryTopics.NotifyAsync(db, RegistryTopics.Repair(request), CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogNotRelayed(logger, request.OwnerKind, request.Owner, request.Cluster, ex);
        }
    }

    [LoggerMessage(EventId = 1520, Level = LogLevel.Warning, Message = "Could not pass the repair of {OwnerKind} {Owner} in cluster {Cluster} to the leading replica")]
    private static partial void LogNotRelayed(ILogger logger, string ownerKind, string owner, string cluster, Exception ex);
}
