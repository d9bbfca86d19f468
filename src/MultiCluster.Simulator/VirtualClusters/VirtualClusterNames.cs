using System.Security.Cryptography;
using System.Text;

namespace MultiCluster.Simulator.VirtualClusters;

/// <summary>
/// The names and labels vcluster gives its objects on the host (copied from MultiCluster.Core's VirtualClusterNames,
/// which the simulator does not reference).
/// </summary>
internal static class VirtualClusterNames
{
    public const string AppLabel = "app";
    public const string AppValue = "vcluster";
    public const string ReleaseLabel = "release";
    public const string ManagedByLabel = "vcluster.loft.sh/managed-by";
    public const string NamespaceLabel = "vcluster.loft.sh/namespace";
    public const string ObjectNameAnnotation = "vcluster.loft.sh/object-name";
    public const string ObjectNamespaceAnnotation = "vcluster.loft.sh/object-namespace";
    public const string ObjectUidAnnotation = "vcluster.loft.sh/object-uid";
    public const string ConfigSecretPrefix = "vc-config-";
    public const string KubeconfigSecretPrefix = "vc-";

    /// <summary>The config Secret's key that holds vcluster.yaml.</summary>
    public const string ConfigKey = "config.yaml";

    public static bool IsVirtualClusterWorkload(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(AppLabel, out var app) && app == AppValue;

    /// <summary>
    /// The host name of a pod synced out of a vCluster: <c>&lt;name&gt;-x-&lt;namespace&gt;-x-&lt;vcluster&gt;</c>, and past 63
    /// characters its first 52, a dash and the first 10 hex digits of the whole name's SHA-256 (a <c>.-</c> left by the cut
    /// becomes <c>-</c>), as the syncer's SafeConcatName does.
    /// </summary>
    public static string SyncedName(string name, string ns, string vcluster)
    {
        var full = string.Join('-', name, "x", ns, "x", vcluster);
        if (full.Length <= 63)
        {
            return full;
        }
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)));
        return (full[..52] + "-" + digest[..10]).Replace(".-", "-", StringComparison.Ordinal);
    }
}
