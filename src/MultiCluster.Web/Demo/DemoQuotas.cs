using System.Security.Claims;
using k8s;
using k8s.Models;
using MultiCluster.Core.Quotas;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Web.Demo;

/// <summary>
/// Quotas in the demo: one policy (team defaults on the prod clusters) so a new user sees targets in sync, and a
/// namespace of the dev cluster whose own ResourceQuota is nearly full, so the usage view has something to highlight.
/// </summary>
internal static class DemoQuotas
{
    public static readonly QuotaPolicy TeamDefaults = new()
    {
        Name = "team-defaults",
        Description = "Every team namespace of the prod clusters: a ceiling, and requests for containers that set none.",
        ClusterSelector = "env=prod",
        NamespacePatterns = ["team-*"],
        Hard = new Dictionary<string, string> { ["requests.cpu"] = "40", ["requests.memory"] = "80Gi", ["pods"] = "300", ["services.loadbalancers"] = "2" },
        Limits =
        [
            new LimitRangeItem
            {
                Type = LimitRangeItem.Container,
                Default = new Dictionary<string, string> { ["cpu"] = "500m", ["memory"] = "512Mi" },
                DefaultRequest = new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = "128Mi" },
            },
        ],
    };

    /// <summary>Saves the demo's policy as the demo's own administrator (first start only: it is in the registry after).</summary>
    public static async Task<string?> SavePolicyAsync(QuotaPolicies policies, ClaimsPrincipal demo, CancellationToken cancellationToken)
    {
        var result = await policies.SaveAsync(demo, TeamDefaults, expectedGeneration: null, cancellationToken);
        return result.Saved ? null : string.Join(" ", result.Problems);
    }

    /// <summary>
    /// A ResourceQuota of the team's own in dev's team-a, nine of its ten ConfigMaps used: near its limit and staying
    /// there (the demo's churn replaces pods, so a quota on pods would not stay put).
    /// </summary>
    public static async Task FillOneQuotaAsync(SimulatedCluster dev, CancellationToken cancellationToken)
    {
        using var client = new k8s.Kubernetes(dev.CreateClientConfiguration());
        try
        {
            for (var i = 1; i <= 9; i++)
            {
                await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
                {
                    Metadata = new V1ObjectMeta { Name = $"settings-{i}" },
                    Data = new Dictionary<string, string> { ["feature-flags"] = "checkout-v2=on" },
                }, "team-a", cancellationToken: cancellationToken);
            }
            var configMaps = (await client.CoreV1.ListNamespacedConfigMapAsync("team-a", cancellationToken: cancellationToken)).Items.Count;
            await client.CoreV1.CreateNamespacedResourceQuotaAsync(new V1ResourceQuota
            {
                Metadata = new V1ObjectMeta { Name = "config", Labels = new Dictionary<string, string> { ["owner"] = "team-a" } },
                Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["count/configmaps"] = new((configMaps + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)) } },
            }, "team-a", cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Kept from an earlier start of the demo.
        }
    }
}
