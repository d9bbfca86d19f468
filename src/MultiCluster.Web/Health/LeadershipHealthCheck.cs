using Microsoft.Extensions.Diagnostics.HealthChecks;
using MultiCluster.Data.Replicas;

namespace MultiCluster.Web.Health;

/// <summary>
/// Says whether this replica leads the reconcilers or follows; not ready when it lost the connection that holds the leadership
/// (then it writes nothing to clusters, and says so).
/// </summary>
internal sealed class LeadershipHealthCheck(RegistryLeadership leadership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(leadership.Connected ? HealthCheckResult.Healthy(leadership.Describe()) : HealthCheckResult.Unhealthy(leadership.Describe()));
}
