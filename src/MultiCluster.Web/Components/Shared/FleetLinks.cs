namespace MultiCluster.Web.Components.Shared;

/// <summary>Where views of the fleet link to for a cluster or a namespace.</summary>
public static class FleetLinks
{
    public static string Cluster(string cluster) => $"/clusters/{Uri.EscapeDataString(cluster)}";

    /// <summary>The Pods page filtered to one namespace of one cluster.</summary>
    public static string Pods(string cluster, string ns) => $"/pods?cluster={Uri.EscapeDataString(cluster)}&namespace={Uri.EscapeDataString(ns)}";
}
