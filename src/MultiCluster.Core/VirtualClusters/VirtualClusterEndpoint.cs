namespace MultiCluster.Core.VirtualClusters;

/// <summary>What the host tells of how a vCluster's API can be reached from outside it.</summary>
/// <param name="ExportedServer">The server vcluster.yaml exports (<c>exportKubeConfig.server</c>), if set.</param>
/// <param name="LoadBalancer">The Service's first LoadBalancer ingress (IP or host name) and its port when it reports one.</param>
/// <param name="NodePort">The Service's node port for 443, and a node address to use it on.</param>
/// <param name="InsideHost">Whether the dashboard runs inside the host cluster (it can use the Service's DNS name).</param>
public sealed record VirtualClusterExposure(
    string? ExportedServer,
    (string Address, int? Port)? LoadBalancer,
    (string NodeAddress, int Port)? NodePort,
    bool InsideHost);

/// <summary>
/// The server the dashboard writes into a vCluster's kubeconfig (whose own says <c>https://localhost:8443</c>): the exported
/// server if vcluster.yaml sets one, else the Service's LoadBalancer ingress, else a NodePort on a node address, else the
/// Service's DNS name when the dashboard runs inside the host; otherwise there is none, and why.
/// </summary>
public static class VirtualClusterEndpoint
{
    public static (Uri? Server, string? Problem) Choose(string name, string ns, VirtualClusterExposure exposure)
    {
        if (!string.IsNullOrWhiteSpace(exposure.ExportedServer) && Uri.TryCreate(exposure.ExportedServer, UriKind.Absolute, out var exported) && exported.Scheme == "https")
        {
            return (exported, null);
        }
        if (exposure.LoadBalancer is { } lb && lb.Address.Length > 0)
        {
            return (Https(lb.Address, lb.Port ?? 443), null);
        }
        if (exposure.NodePort is { } nodePort)
        {
            return (Https(nodePort.NodeAddress, nodePort.Port), null);
        }
        if (exposure.InsideHost)
        {
            return (new Uri($"https://{name}.{ns}:443"), null);
        }
        return (null, $"vCluster {name} in {ns} cannot be reached from the dashboard: its Service {name} has no LoadBalancer address or node port, " +
            "its vcluster.yaml exports no server, and the dashboard does not run inside that host (VirtualClusters:InsideHosts).");
    }

    private static Uri Https(string address, int port) =>
        new UriBuilder("https", address.Contains(':') && !address.StartsWith('[') ? $"[{address}]" : address, port).Uri;
}
