namespace MultiCluster.Web.Components.Pages.Quotas;

/// <summary>Where the Quotas pages link to.</summary>
public static class QuotaLinks
{
    public static string Policy(string name) => $"/quotas/{Uri.EscapeDataString(name)}";

    public static string Usage(string policy) => $"/quotas?tab=usage&policy={Uri.EscapeDataString(policy)}";

    public static string Cluster(string cluster) => $"/clusters/{Uri.EscapeDataString(cluster)}";

    /// <summary>The Pods page filtered to one namespace of one cluster.</summary>
    public static string Pods(string cluster, string ns) => $"/pods?cluster={Uri.EscapeDataString(cluster)}&namespace={Uri.EscapeDataString(ns)}";
}
