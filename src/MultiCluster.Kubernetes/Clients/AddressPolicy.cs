using System.Net;

namespace MultiCluster.Kubernetes.Clients;

/// <summary>What an address is, as far as connecting to an API server there goes.</summary>
public enum AddressKind
{
    Public,
    Private,
    Loopback,
    Metadata,
    LinkLocal,
    Unspecified,
    Multicast,
    Broadcast,
    Reserved,
}

/// <summary>
/// Which addresses the dashboard connects to. Never: cloud metadata, link-local, unspecified, multicast,
/// broadcast and reserved addresses, where no API server lives but credentials and internal services do.
/// Loopback and private ranges are allowed (clusters live there) unless
/// <see cref="ClusterAddressOptions.RefusePrivateAddresses"/> is set.
/// </summary>
public static class AddressPolicy
{
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    // First match wins: the metadata addresses sit inside ranges further down, and ::/8 holds :: and ::1.
    private static readonly (IPNetwork Range, AddressKind Kind)[] Ranges =
    [
        (IPNetwork.Parse("169.254.169.254/32"), AddressKind.Metadata), // AWS, Azure, GCP, OCI, OpenStack instance metadata
        (IPNetwork.Parse("fd00:ec2::254/128"), AddressKind.Metadata), // AWS instance metadata over IPv6 (unique-local space)
        (IPNetwork.Parse("100.100.100.200/32"), AddressKind.Metadata), // Alibaba Cloud instance metadata (CGNAT space)
        (IPNetwork.Parse("168.63.129.16/32"), AddressKind.Metadata), // Azure WireServer, the host's agent channel (a public address)
        (IPNetwork.Parse("0.0.0.0/8"), AddressKind.Unspecified),
        (IPNetwork.Parse("::/128"), AddressKind.Unspecified),
        (IPNetwork.Parse("169.254.0.0/16"), AddressKind.LinkLocal),
        (IPNetwork.Parse("fe80::/10"), AddressKind.LinkLocal),
        (IPNetwork.Parse("224.0.0.0/4"), AddressKind.Multicast),
        (IPNetwork.Parse("ff00::/8"), AddressKind.Multicast),
        (IPNetwork.Parse("255.255.255.255/32"), AddressKind.Broadcast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressKind.Reserved),
        (IPNetwork.Parse("127.0.0.0/8"), AddressKind.Loopback),
        (IPNetwork.Parse("::1/128"), AddressKind.Loopback),
        (IPNetwork.Parse("10.0.0.0/8"), AddressKind.Private),
        (IPNetwork.Parse("172.16.0.0/12"), AddressKind.Private),
        (IPNetwork.Parse("192.168.0.0/16"), AddressKind.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressKind.Private), // carrier-grade NAT, used by some cloud and overlay networks
        (IPNetwork.Parse("fc00::/7"), AddressKind.Private), // unique local
        (IPNetwork.Parse("fec0::/10"), AddressKind.Private), // site-local, deprecated but still routed in places
        (IPNetwork.Parse("::/8"), AddressKind.Reserved), // IPv4-compatible and other reserved forms (IPv4-mapped is unwrapped first)
    ];

    public static AddressKind Classify(IPAddress address)
    {
        address = Unwrap(address);
        foreach (var (range, kind) in Ranges)
        {
            if (range.Contains(address))
            {
                return kind;
            }
        }
        return AddressKind.Public;
    }

    /// <summary>Why the dashboard does not connect to <paramref name="address"/>, completing "it is …"; null when it may.</summary>
    public static string? Refusal(IPAddress address, ClusterAddressOptions options) => Classify(address) switch
    {
        AddressKind.Public => null,
        AddressKind.Private or AddressKind.Loopback when !options.RefusePrivateAddresses => null,
        AddressKind.Private => $"a private network address, and {ClusterAddressOptions.Section}:{nameof(ClusterAddressOptions.RefusePrivateAddresses)} is set",
        AddressKind.Loopback => $"a loopback address, and {ClusterAddressOptions.Section}:{nameof(ClusterAddressOptions.RefusePrivateAddresses)} is set",
        AddressKind.Metadata => "a cloud metadata address, where no Kubernetes API server lives",
        AddressKind.LinkLocal => "a link-local address, where no Kubernetes API server lives",
        AddressKind.Unspecified => "an unspecified address (0.0.0.0 or ::), which names no server",
        AddressKind.Multicast => "a multicast address, which names no server",
        AddressKind.Broadcast => "the broadcast address, which names no server",
        _ => "a reserved address, which names no server",
    };

    /// <summary>The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) address, else the address itself.</summary>
    public static IPAddress Unwrap(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (Nat64.Contains(address))
        {
            return new IPAddress(address.GetAddressBytes().AsSpan(12));
        }
        return address;
    }
}
