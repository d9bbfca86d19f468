using System.Security.Claims;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using k8s;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.VirtualClusters;

namespace MultiCluster.Web.Demo;

/// <summary>
/// The demo's vClusters on its dev host, made through the same path a user takes: <c>sandbox</c> runs (a Deployment of
/// three pods inside, which run on dev), <c>preview</c> is paused, so the Virtual clusters page is not empty on first start. The simulator keeps nothing across restarts, so each
/// start makes them afresh (forgetting the registrations an earlier start left).
/// </summary>
public static class DemoVirtualClusters
{
    public const string Host = "dev";

    private static readonly (string Name, bool Paused)[] VirtualClusters = [("sandbox", false), ("preview", true)];

    /// <returns>Null when both are in place; otherwise what went wrong.</returns>
    public static async Task<string?> EnsureAsync(IServiceProvider services, SimulatorHost simulator, ClaimsPrincipal demo, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<FleetStateStore>();
        var registry = services.GetRequiredService<ClusterRegistry>();
        var vclusters = services.GetRequiredService<VirtualClusterService>();
        // Writes go as the person (impersonated): the host must answer and hold the fleet-wide roles' bindings first.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2);
        while (store.Cluster(Host)?.Health != ClusterHealth.Synced || !store.FleetRolesBound(Host))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return $"{Host} did not become ready for vClusters within two minutes (is Access:BindFleetRoles off?).";
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        foreach (var stale in (await registry.ListAsync(cancellationToken)).Where(c => VirtualClusterLabels.HostOf(c.Labels) is { Host: Host }))
        {
            await registry.RemoveAsync(demo, stale.Name, cancellationToken);
        }
        var problems = new List<string>();
        foreach (var (name, paused) in VirtualClusters)
        {
            var spec = new VirtualClusterSpec { Host = Host, Name = name, Labels = new Dictionary<string, string> { ["env"] = "dev", ["provider"] = "vcluster" } };
            var outcome = await vclusters.CreateAsync(demo, spec, null, cancellationToken);
            if (outcome.Succeeded && paused)
            {
                outcome = await vclusters.PauseAsync(demo, Host, spec.EffectiveNamespace, name, cancellationToken);
            }
            else if (outcome.Succeeded && simulator[Host].VirtualClusters.TryGetValue((spec.EffectiveNamespace, name), out var running))
            {
                await AddWorkloadAsync(running.Cluster, cancellationToken);
            }
            if (outcome.Problem is { } problem)
            {
                problems.Add($"{name}: {problem}");
            }
        }
        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    /// <summary>Something inside the running vCluster: a Deployment whose pods run on dev as the syncer names them.</summary>
    private static async Task AddWorkloadAsync(SimulatedCluster inside, CancellationToken cancellationToken)
    {
        using var client = new k8s.Kubernetes(inside.CreateClientConfiguration());
        await client.AppsV1.CreateNamespacedDeploymentAsync(DemoClusters.Deployment("web", "nginx:1.27", 3), "default", cancellationToken: cancellationToken);
    }
}
