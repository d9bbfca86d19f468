using System.Text;

namespace MultiCluster.Simulator.Hosting;

/// <summary>Writes a kubeconfig (clientcmd v1) for the simulated clusters; context, cluster and user share the cluster's name.</summary>
public static class Kubeconfig
{
    public static string Build(IReadOnlyList<SimulatedCluster> clusters, bool useClientCertificates)
    {
        var yaml = new StringBuilder();
        yaml.Append("apiVersion: v1\nkind: Config\npreferences: {}\n");
        yaml.Append($"current-context: {Quote(clusters[0].Name)}\n");
        yaml.Append("clusters:\n");
        foreach (var cluster in clusters)
        {
            yaml.Append($"- name: {Quote(cluster.Name)}\n  cluster:\n    server: {Quote(cluster.BaseUrl.ToString().TrimEnd('/'))}\n");
            if (cluster.CertificateAuthorityPem is not null)
            {
                yaml.Append($"    certificate-authority-data: {Base64(cluster.CertificateAuthorityPem)}\n");
            }
        }
        yaml.Append("contexts:\n");
        foreach (var cluster in clusters)
        {
            yaml.Append($"- name: {Quote(cluster.Name)}\n  context:\n    cluster: {Quote(cluster.Name)}\n    user: {Quote(cluster.Name)}\n    namespace: default\n");
        }
        yaml.Append("users:\n");
        foreach (var cluster in clusters)
        {
            yaml.Append($"- name: {Quote(cluster.Name)}\n  user:\n");
            if (useClientCertificates && cluster.ClientCertificatePem is not null && cluster.ClientKeyPem is not null)
            {
                yaml.Append($"    client-certificate-data: {Base64(cluster.ClientCertificatePem)}\n    client-key-data: {Base64(cluster.ClientKeyPem)}\n");
            }
            else
            {
                yaml.Append($"    token: {Quote(cluster.Token)}\n");
            }
        }
        return yaml.ToString();
    }

    internal static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));

    /// <summary>A YAML double-quoted scalar.</summary>
    internal static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
