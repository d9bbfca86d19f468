using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MultiCluster.Data;

/// <summary>
/// Every use of the registry tells <see cref="RegistryAvailability"/> what it saw: a connection opened means it answers,
/// a connection or command that failed for want of the server means it does not. So the first failed request after an
/// outage starts raises the banner, and the first good one after it ends lowers it, without waiting for the probe.
/// </summary>
internal sealed class RegistryAvailabilityInterceptor(RegistryAvailability availability) : IDbConnectionInterceptor, IDbCommandInterceptor
{
    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => availability.ReportReachable();

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        availability.ReportReachable();
        return Task.CompletedTask;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Failed(eventData.Exception);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Exception);
        return Task.CompletedTask;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Failed(eventData.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Exception);
        return Task.CompletedTask;
    }

    private void Failed(Exception exception)
    {
        if (RegistryFailures.IsUnreachable(exception))
        {
            availability.ReportUnreachable();
        }
    }
}
