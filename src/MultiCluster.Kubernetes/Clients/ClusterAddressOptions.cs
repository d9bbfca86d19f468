namespace MultiCluster.Kubernetes.Clients;

/// <summary>Which addresses API servers may have (configuration section Registry); see <see cref="AddressPolicy"/>.</summary>
public sealed class ClusterAddressOptions
{
    public const string Section = "Registry";

    /// <summary>
    /// Refuse loopback and private-network addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) too, for
    /// a dashboard whose clusters all have public addresses and that must not reach into the network it runs in.
    /// </summary>
    public bool RefusePrivateAddresses { get; set; }
}
