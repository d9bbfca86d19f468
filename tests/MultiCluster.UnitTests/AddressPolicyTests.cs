using System.Net;
using MultiCluster.Kubernetes.Clients;

namespace MultiCluster.UnitTests;

public sealed class AddressPolicyTests
{
    private static readonly ClusterAddressOptions Default = new();
    private static readonly ClusterAddressOptions Strict = new() { RefusePrivateAddresses = true };

    [Theory]
    [InlineData("169.254.169.254", AddressKind.Metadata)]
    [InlineData("fd00:ec2::254", AddressKind.Metadata)]
    [InlineData("100.100.100.200", AddressKind.Metadata)]
    [InlineData("168.63.129.16", AddressKind.Metadata)]
    [InlineData("::ffff:169.254.169.254", AddressKind.Metadata)]
    [InlineData("64:ff9b::169.254.169.254", AddressKind.Metadata)]
    [InlineData("169.254.170.2", AddressKind.LinkLocal)]
    [InlineData("169.254.0.1", AddressKind.LinkLocal)]
    [InlineData("fe80::1", AddressKind.LinkLocal)]
    [InlineData("febf::1", AddressKind.LinkLocal)]
    [InlineData("0.0.0.0", AddressKind.Unspecified)]
    [InlineData("0.1.2.3", AddressKind.Unspecified)]
    [InlineData("::", AddressKind.Unspecified)]
    [InlineData("::ffff:0.0.0.0", AddressKind.Unspecified)]
    [InlineData("224.0.0.1", AddressKind.Multicast)]
    [InlineData("239.255.255.250", AddressKind.Multicast)]
    [InlineData("ff02::1", AddressKind.Multicast)]
    [InlineData("255.255.255.255", AddressKind.Broadcast)]
    [InlineData("240.0.0.1", AddressKind.Reserved)]
    [InlineData("::169.254.169.254", AddressKind.Reserved)]
    [InlineData("127.0.0.1", AddressKind.Loopback)]
    [InlineData("127.10.20.30", AddressKind.Loopback)]
    [InlineData("::1", AddressKind.Loopback)]
    [InlineData("::ffff:127.0.0.1", AddressKind.Loopback)]
    [InlineData("10.0.0.1", AddressKind.Private)]
    [InlineData("172.16.0.1", AddressKind.Private)]
    [InlineData("172.31.255.254", AddressKind.Private)]
    [InlineData("192.168.1.1", AddressKind.Private)]
    [InlineData("100.64.0.1", AddressKind.Private)]
    [InlineData("100.127.255.254", AddressKind.Private)]
    [InlineData("fd00::1", AddressKind.Private)]
    [InlineData("fc00::1", AddressKind.Private)]
    [InlineData("::ffff:10.1.2.3", AddressKind.Private)]
    [InlineData("172.32.0.1", AddressKind.Public)]
    [InlineData("100.128.0.1", AddressKind.Public)]
    [InlineData("169.255.0.1", AddressKind.Public)]
    [InlineData("203.0.113.10", AddressKind.Public)]
    [InlineData("2001:db8::1", AddressKind.Public)]
    [InlineData("2600:1f18::1", AddressKind.Public)]
    public void Addresses_are_classified(string address, AddressKind kind) =>
        Assert.Equal(kind, AddressPolicy.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    public void Metadata_link_local_and_unspecified_addresses_are_refused_always(string address) =>
        Assert.NotNull(AddressPolicy.Refusal(IPAddress.Parse(address), Default));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("fd12::1")]
    public void Loopback_and_private_addresses_are_allowed_unless_refused_by_setting(string address)
    {
        Assert.Null(AddressPolicy.Refusal(IPAddress.Parse(address), Default));
        Assert.EndsWith(", and Registry:RefusePrivateAddresses is set", AddressPolicy.Refusal(IPAddress.Parse(address), Strict));
    }

    [Theory]
    [InlineData("203.0.113.10")]
    [InlineData("2001:db8::1")]
    public void Public_addresses_are_allowed_even_when_private_ones_are_refused(string address) =>
        Assert.Null(AddressPolicy.Refusal(IPAddress.Parse(address), Strict));

    [Fact]
    public void The_metadata_address_is_named_as_such()
    {
        Assert.Equal("a cloud metadata address, where no Kubernetes API server lives", AddressPolicy.Refusal(IPAddress.Parse("169.254.169.254"), Default));
        Assert.Equal("a cloud metadata address, where no Kubernetes API server lives", AddressPolicy.Refusal(IPAddress.Parse("fd00:ec2::254"), Strict));
    }
}
