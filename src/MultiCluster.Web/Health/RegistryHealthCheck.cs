using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MultiCluster.Data;

namespace MultiCluster.Web.Health;

/// <summary>Ready when the registry database answers and has every migration applied. What it sees feeds <see cref="RegistryAvailability"/>.</summary>
internal sealed class RegistryHealthCheck(IDbContextFactory<RegistryDbContext> factory, RegistryAvailability availability) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                availability.ReportUnreachable();
                return HealthCheckResult.Unhealthy("The registry database does not answer.");
            }
            availability.ReportReachable();
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending == 0
                ? HealthCheckResult.Healthy("The registry database is reachable and migrated.")
                : HealthCheckResult.Unhealthy($"The registry database has {pending} migration(s) not applied.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            availability.ReportUnreachable();
            return HealthCheckResult.Unhealthy("The registry database cannot be reached.");
        }
    }
}
