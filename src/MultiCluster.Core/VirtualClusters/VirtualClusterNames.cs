using System.Security.Cryptography;
using System.Text;

namespace MultiCluster.Core.VirtualClusters;

/// <summary>
/// The names and labels a vCluster has on its host, exactly as the vcluster chart and CLI give them, so what the dashboard
/// makes the CLI lists, pauses and deletes, and what the CLI made the dashboard finds.
/// </summary>
public static class VirtualClusterNames
{
    public const string AppLabel = "app";
    public const string AppValue = "vcluster";
    public const string ReleaseLabel = "release";
    public const string ServiceLabel = "vcluster.loft.sh/service";
    public const string ManagedByLabel = "vcluster.loft.sh/managed-by";
    public const string CreatedAnnotation = "vcluster.loft.sh/created";
    public const string PausedAnnotation = "loft.sh/paused";
    public const string PausedReplicasAnnotation = "loft.sh/paused-replicas";
    public const string PausedDateAnnotation = "loft.sh/paused-date";
    public const string NonDeletableAnnotation = "loft.sh/non-deletable";
    public const string SyncerContainer = "syncer";

    /// <summary>The selector the CLI lists vClusters by, on StatefulSets and Deployments.</summary>
    public const string Selector = AppLabel + "=" + AppValue;

    /// <summary>The StatefulSet's (or Deployment's) labels and selector: <c>app=vcluster, release=&lt;name&gt;</c>.</summary>
    public static IReadOnlyDictionary<string, string> Labels(string name) =>
        new SortedDictionary<string, string>(StringComparer.Ordinal) { [AppLabel] = AppValue, [ReleaseLabel] = name };

    public static string DefaultNamespace(string name) => "vcluster-" + name;

    public static string HeadlessService(string name) => name + "-headless";

    /// <summary>The ServiceAccount, Role and RoleBinding the syncer runs with.</summary>
    public static string ServiceAccount(string name) => "vc-" + name;

    public static string ConfigSecret(string name) => "vc-config-" + name;

    /// <summary>The Secret the vCluster writes its kubeconfig into (keys config, certificate-authority, client-certificate, client-key, token).</summary>
    public static string KubeconfigSecret(string name) => "vc-" + name;

    /// <summary>The ResourceQuota and LimitRange of an isolated vCluster.</summary>
    public static string Isolation(string name) => "vc-" + name;

    public static string WorkloadNetworkPolicy(string name) => "vc-work-" + name;

    public static string ControlPlaneNetworkPolicy(string name) => "vc-cp-" + name;

    /// <summary>The StatefulSet's data volume claim, <c>data-&lt;name&gt;-0</c>.</summary>
    public static string DataVolumeClaim(string name) => $"data-{name}-0";

    /// <summary>The kubeconfig context the CLI names when connecting: <c>vcluster_&lt;name&gt;_&lt;namespace&gt;_&lt;host&gt;</c>.</summary>
    public static string Context(string name, string ns, string host) => $"vcluster_{name}_{ns}_{host}";

    /// <summary>The CLI writes <c>loft.sh/paused-date</c> as Unix seconds; an RFC 3339 time is read too.</summary>
    public static string FormatPausedDate(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParsePausedDate(string? text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds)
        : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at
        : null;

    /// <summary>
    /// The host name of an object synced out of a vCluster: <c>&lt;name&gt;-x-&lt;namespace&gt;-x-&lt;vcluster&gt;</c>, and past 63
    /// characters its first 52, a dash and the first 10 hex digits of the whole name's SHA-256 (a <c>.-</c> left by the cut
    /// becomes <c>-</c>), as the syncer does.
    /// </summary>
    public static string SyncedName(string name, string ns, string vcluster) => SafeConcat(name, "x", ns, "x", vcluster);

    private static string SafeConcat(params string[] parts)
    {
        var full = string.Join('-', parts);
        if (full.Length <= 63)
        {
            return full;
        }
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)));
        return (full[..52] + "-" + digest[..10]).Replace(".-", "-", StringComparison.Ordinal);
    }
}
