namespace MultiCluster.Core.VirtualClusters;

/// <summary>
/// What an isolated vCluster gets around it on its host by default, vCluster's own defaults: a ResourceQuota and a
/// LimitRange named <c>vc-&lt;name&gt;</c> (and, with network isolation, two NetworkPolicies). The create dialog starts from
/// these values and lets them be changed.
/// </summary>
public static class VirtualClusterIsolation
{
    public static IReadOnlyDictionary<string, string> DefaultQuota { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["requests.cpu"] = "10",
        ["requests.memory"] = "20Gi",
        ["requests.storage"] = "100Gi",
        ["requests.ephemeral-storage"] = "60Gi",
        ["limits.cpu"] = "20",
        ["limits.memory"] = "40Gi",
        ["limits.ephemeral-storage"] = "160Gi",
        ["services.nodeports"] = "0",
        ["services.loadbalancers"] = "1",
        ["count/endpoints"] = "40",
        ["count/pods"] = "20",
        ["count/services"] = "20",
        ["count/secrets"] = "100",
        ["count/configmaps"] = "100",
        ["count/persistentvolumeclaims"] = "20",
    };

    /// <summary>The container limits a pod gets when it sets none.</summary>
    public static IReadOnlyDictionary<string, string> DefaultLimits { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["cpu"] = "1",
        ["memory"] = "512Mi",
        ["ephemeral-storage"] = "8Gi",
    };

    /// <summary>The container requests a pod gets when it sets none.</summary>
    public static IReadOnlyDictionary<string, string> DefaultRequests { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["cpu"] = "100m",
        ["memory"] = "128Mi",
        ["ephemeral-storage"] = "3Gi",
    };
}
