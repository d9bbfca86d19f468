namespace MultiCluster.Core.VirtualClusters;

/// <summary>
/// The labels a vCluster registered as a cluster carries in the registry: they say it is a vCluster, which host and
/// namespace run it and its name there, so its pause is followed on the host and quota and access policies can select it.
/// </summary>
public static class VirtualClusterLabels
{
    public const string VirtualCluster = "multicluster.io/vcluster";
    public const string HostCluster = "multicluster.io/host-cluster";
    public const string HostNamespace = "multicluster.io/host-namespace";
    public const string Name = "multicluster.io/vcluster-name";

    /// <summary>The registry labels of vCluster <paramref name="name"/> in <paramref name="ns"/> on <paramref name="host"/>, over the user's own.</summary>
    public static IReadOnlyDictionary<string, string> For(string host, string ns, string name, IReadOnlyDictionary<string, string>? user = null)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in user ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }
        labels[VirtualCluster] = "true";
        labels[HostCluster] = host;
        labels[HostNamespace] = ns;
        labels[Name] = name;
        return labels;
    }

    /// <summary>Where a registered cluster runs as a vCluster (host, namespace, name), or null when it is not one.</summary>
    public static (string Host, string Namespace, string Name)? HostOf(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(VirtualCluster, out var flag) && flag == "true" &&
        labels.TryGetValue(HostCluster, out var host) && labels.TryGetValue(HostNamespace, out var ns) && labels.TryGetValue(Name, out var name)
            ? (host, ns, name)
            : null;

    /// <summary>Whether a user's label would claim one of these keys (they are the dashboard's to set).</summary>
    public static bool IsReserved(string key) => key is VirtualCluster or HostCluster or HostNamespace or Name;
}
