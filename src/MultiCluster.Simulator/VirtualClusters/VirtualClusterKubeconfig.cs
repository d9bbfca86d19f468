using System.Text;
using System.Text.Json.Nodes;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.VirtualClusters;

/// <summary>
/// The Secret <c>vc-&lt;name&gt;</c> a vCluster writes into its host namespace, with vcluster's keys: <c>config</c> (a kubeconfig for
/// the admin's client certificate, server <c>https://localhost:8443</c> unless vcluster.yaml's <c>exportKubeConfig.server</c> says
/// otherwise, every name <c>my-vcluster</c> unless <c>exportKubeConfig.context</c> does), <c>certificate-authority</c>,
/// <c>client-certificate</c>, <c>client-key</c> (PEM) and <c>token</c> (a bearer token in system:masters).
/// </summary>
internal static class VirtualClusterKubeconfig
{
    public const string DefaultServer = "https://localhost:8443";
    public const string DefaultName = "my-vcluster";

    public static JsonObject SecretData(SimulatedCluster nested, VirtualClusterConfig config) => new()
    {
        ["config"] = Kubeconfig.Base64(Build(nested, config)),
        ["certificate-authority"] = Kubeconfig.Base64(nested.CertificateAuthorityPem ?? ""),
        ["client-certificate"] = Kubeconfig.Base64(nested.ClientCertificatePem ?? ""),
        ["client-key"] = Kubeconfig.Base64(nested.ClientKeyPem ?? ""),
        ["token"] = Kubeconfig.Base64(nested.Token),
    };

    public static string Build(SimulatedCluster nested, VirtualClusterConfig config)
    {
        var name = Kubeconfig.Quote(config.ExportContext ?? DefaultName);
        var yaml = new StringBuilder();
        yaml.Append("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n");
        if (nested.CertificateAuthorityPem is not null)
        {
            yaml.Append($"    certificate-authority-data: {Kubeconfig.Base64(nested.CertificateAuthorityPem)}\n");
        }
        yaml.Append($"    server: {Kubeconfig.Quote(config.ExportServer ?? DefaultServer)}\n  name: {name}\n");
        yaml.Append($"contexts:\n- context:\n    cluster: {name}\n    namespace: default\n    user: {name}\n  name: {name}\n");
        yaml.Append($"current-context: {name}\npreferences: {{}}\nusers:\n- name: {name}\n  user:\n");
        if (nested.ClientCertificatePem is not null && nested.ClientKeyPem is not null)
        {
            yaml.Append($"    client-certificate-data: {Kubeconfig.Base64(nested.ClientCertificatePem)}\n    client-key-data: {Kubeconfig.Base64(nested.ClientKeyPem)}\n");
        }
        else
        {
            // Over plain HTTP there are no certificates to present.
            yaml.Append($"    token: {Kubeconfig.Quote(nested.Token)}\n");
        }
        return yaml.ToString();
    }
}
