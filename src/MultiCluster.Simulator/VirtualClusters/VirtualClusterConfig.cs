using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace MultiCluster.Simulator.VirtualClusters;

/// <summary>
/// What the simulator reads from a vCluster's vcluster.yaml (the config Secret's <c>config.yaml</c>): the control plane's
/// Kubernetes version and where the exported kubeconfig points. A config that does not parse means the defaults, as a
/// simulator should rather start than refuse.
/// </summary>
internal sealed partial record VirtualClusterConfig(string? KubernetesVersion, string? ExportServer, string? ExportContext)
{
    public static readonly VirtualClusterConfig Default = new(null, null, null);

    /// <summary>Reads the config Secret (its base64 <c>data</c>, or <c>stringData</c> as written); null or odd means the defaults.</summary>
    public static VirtualClusterConfig FromSecret(JsonObject? secret)
    {
        var text = (string?)secret?["stringData"]?[VirtualClusterNames.ConfigKey];
        if (text is null && (string?)secret?["data"]?[VirtualClusterNames.ConfigKey] is { } encoded)
        {
            try
            {
                text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                return Default;
            }
        }
        return text is null ? Default : Parse(text);
    }

    public static VirtualClusterConfig Parse(string yaml)
    {
        object? root;
        try
        {
            root = new DeserializerBuilder().Build().Deserialize<object>(yaml);
        }
        catch (YamlException)
        {
            return Default;
        }
        var distro = Path(root, "controlPlane", "distro");
        // vcluster 0.20+ names the version as the image tag (k8s) or k3s's tag (v1.31.1-k3s1, whose apiserver says v1.31.1+k3s1).
        var version = Scalar(Path(distro, "k8s", "version")) ?? Scalar(Path(distro, "k8s", "image", "tag"))
            ?? Scalar(Path(distro, "k3s", "image", "tag"))?.Replace("-k3s", "+k3s", StringComparison.Ordinal);
        return new VirtualClusterConfig(
            version is not null && GitVersion().IsMatch(version) ? version : null,
            Scalar(Path(root, "exportKubeConfig", "server")) is { Length: > 0 } server ? server : null,
            Scalar(Path(root, "exportKubeConfig", "context")) is { Length: > 0 } context ? context : null);
    }

    private static object? Path(object? node, params string[] keys)
    {
        foreach (var key in keys)
        {
            node = node is IDictionary<object, object> map && map.TryGetValue(key, out var child) ? child : null;
        }
        return node;
    }

    private static string? Scalar(object? node) => node as string;

    [GeneratedRegex(@"^v\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.+-]+)?$")]
    private static partial Regex GitVersion();
}
