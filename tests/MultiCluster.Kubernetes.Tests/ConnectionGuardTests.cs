using System.Net;
using k8s;
using MultiCluster.Core;
using MultiCluster.Kubernetes.Clients;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>
/// The connection test cannot be pointed at metadata endpoints or internal services: refused addresses are
/// refused before any packet leaves (the hooks fail any attempt to connect, and answer lookups themselves), and
/// what a server that is not Kubernetes answered is never repeated.
/// </summary>
public sealed class ConnectionGuardTests
{
    private static readonly ClusterCredentials Token = new() { Token = "abc" };

    [Fact]
    public async Task The_metadata_address_is_refused_before_any_packet_is_sent()
    {
        var hooks = new NetworkHooks();

        var result = await ConnectionTester.TestAsync(new Uri("http://169.254.169.254/latest/meta-data/"), Token, hooks.Guard());

        Assert.False(result.Succeeded);
        Assert.Equal("The dashboard does not connect to 169.254.169.254: it is a cloud metadata address, where no Kubernetes API server lives.", result.Problem);
        Assert.Empty(hooks.Lookups);
        Assert.Empty(hooks.Connects);
    }

    [Theory]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "a cloud metadata address")]
    [InlineData("http://100.100.100.200/latest/meta-data/", "a cloud metadata address")]
    [InlineData("http://168.63.129.16/machine?comp=goalstate", "a cloud metadata address")]
    [InlineData("http://[::ffff:169.254.169.254]/", "a cloud metadata address")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/", "a cloud metadata address")]
    [InlineData("http://2852039166/", "a cloud metadata address")]
    [InlineData("http://169.254.170.2/v2/credentials", "a link-local address")]
    [InlineData("https://[fe80::1]:6443", "a link-local address")]
    [InlineData("https://0.0.0.0:6443", "an unspecified address")]
    [InlineData("https://[::]:6443", "an unspecified address")]
    [InlineData("https://224.0.0.1:6443", "a multicast address")]
    [InlineData("https://255.255.255.255:6443", "the broadcast address")]
    public async Task Addresses_where_no_cluster_lives_are_refused_before_any_packet_is_sent(string server, string why)
    {
        var hooks = new NetworkHooks();

        var result = await ConnectionTester.TestAsync(new Uri(server), Token, hooks.Guard());

        Assert.False(result.Succeeded);
        Assert.StartsWith("The dashboard does not connect to ", result.Problem);
        Assert.Contains($": it is {why}", result.Problem);
        Assert.Empty(hooks.Lookups);
        Assert.Empty(hooks.Connects);
    }

    [Fact]
    public async Task A_name_that_resolves_to_the_metadata_address_is_refused_without_connecting()
    {
        var hooks = new NetworkHooks().Resolve("metadata.google.internal", IPAddress.Parse("169.254.169.254"));

        var result = await ConnectionTester.TestAsync(new Uri("https://metadata.google.internal/computeMetadata/v1/"), Token, hooks.Guard());

        Assert.Equal("The dashboard does not connect to metadata.google.internal: the name resolves to a cloud metadata address, where no Kubernetes API server lives.", result.Problem);
        Assert.Equal(["metadata.google.internal"], hooks.Lookups);
        Assert.Empty(hooks.Connects);
    }

    [Fact]
    public async Task One_refused_address_among_a_name_s_addresses_refuses_the_name()
    {
        var hooks = new NetworkHooks().Resolve("api.mixed.example", IPAddress.Parse("192.0.2.10"), IPAddress.Parse("fe80::1"));

        var result = await ConnectionTester.TestAsync(new Uri("https://api.mixed.example:6443"), Token, hooks.Guard());

        Assert.Equal("The dashboard does not connect to api.mixed.example: the name resolves to a link-local address, where no Kubernetes API server lives.", result.Problem);
        Assert.Empty(hooks.Connects);
    }

    [Fact]
    public async Task Private_addresses_are_allowed_by_default()
    {
        var hooks = new NetworkHooks().Resolve("api.corp.example", IPAddress.Parse("10.0.0.7"));

        await ConnectionTester.TestAsync(new Uri("https://api.corp.example:6443"), Token, hooks.Guard());

        // The guard let it through to the socket, which the hooks then refused to open.
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.7"), 6443)], hooks.Connects);
    }

    [Theory]
    [InlineData("https://10.0.0.1:6443", "a private network address")]
    [InlineData("https://172.20.0.1:6443", "a private network address")]
    [InlineData("https://192.168.1.10:6443", "a private network address")]
    [InlineData("https://100.64.0.1:6443", "a private network address")]
    [InlineData("https://[fd12:3456::1]:6443", "a private network address")]
    [InlineData("https://127.0.0.1:6443", "a loopback address")]
    [InlineData("https://[::1]:6443", "a loopback address")]
    public async Task Refusing_private_addresses_refuses_loopback_and_private_ranges(string server, string why)
    {
        var hooks = new NetworkHooks();

        var result = await ConnectionTester.TestAsync(new Uri(server), Token, hooks.Guard(new ClusterAddressOptions { RefusePrivateAddresses = true }));

        Assert.EndsWith($": it is {why}, and Registry:RefusePrivateAddresses is set.", result.Problem);
        Assert.Empty(hooks.Connects);
    }

    [Fact]
    public async Task The_connection_goes_to_the_address_that_was_checked()
    {
        await using var server = LoopbackHttpServer.Version("v1.31.4");
        // Rebinding: asked again, the name would lead to the metadata address.
        var hooks = new NetworkHooks { AllowLoopback = true }
            .Resolve("cluster.example", IPAddress.Loopback)
            .Resolve("cluster.example", IPAddress.Parse("169.254.169.254"));

        var result = await ConnectionTester.TestAsync(new Uri($"http://cluster.example:{server.Port}"), Token, hooks.Guard());

        Assert.True(result.Succeeded, result.Problem);
        Assert.Equal("v1.31.4", result.KubernetesVersion);
        Assert.Equal(["cluster.example"], hooks.Lookups);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, server.Port)], hooks.Connects);
    }

    public static TheoryData<HttpStatusCode, string, string, string> NotKubernetes => new()
    {
        { HttpStatusCode.OK, "text/html", "<html><body>internal-secret wiki</body></html>", "" },
        { HttpStatusCode.OK, "application/json", """{"status":"ok","token":"internal-secret"}""", "" },
        { HttpStatusCode.OK, "application/json", """["internal-secret"]""", "" },
        { HttpStatusCode.OK, "text/plain", "internal-secret", "" },
        { HttpStatusCode.Forbidden, "text/plain", "internal-secret: IMDSv2 token required", "" },
        { HttpStatusCode.NotFound, "text/plain", "no internal-secret here", "" },
        { HttpStatusCode.InternalServerError, "text/html", "<pre>internal-secret stack trace</pre>", "" },
        { HttpStatusCode.Found, "text/plain", "internal-secret", "Location: http://169.254.169.254/latest/meta-data/\r\n" },
    };

    [Theory]
    [MemberData(nameof(NotKubernetes))]
    public async Task A_server_that_is_not_kubernetes_is_named_so_without_repeating_its_answer(HttpStatusCode status, string contentType, string body, string headers)
    {
        await using var server = new LoopbackHttpServer(status, contentType, body, headers);
        var hooks = new NetworkHooks { AllowLoopback = true };

        var result = await ConnectionTester.TestAsync(server.Url, Token, hooks.Guard());

        Assert.False(result.Succeeded);
        Assert.Equal($"{server.Url} is not a Kubernetes API server: it does not answer /version the way Kubernetes does. Check the URL's scheme, port and path.", result.Problem);
        Assert.DoesNotContain("internal-secret", result.Problem);
        Assert.Equal(1, server.Requests);
        Assert.All(hooks.Connects, c => Assert.Equal(IPAddress.Loopback, c.Address)); // the redirect is not followed
    }

    [Fact]
    public async Task A_kubernetes_403_is_read_as_kubernetes_without_repeating_its_message()
    {
        await using var server = new LoopbackHttpServer(HttpStatusCode.Forbidden, "application/json",
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"forbidden: User \"internal-secret\" cannot get path \"/version\"","reason":"Forbidden","code":403}""");

        var result = await ConnectionTester.TestAsync(server.Url, Token);

        Assert.Equal("The credentials are valid, but may not read the server's version (403 Forbidden); give this identity read access.", result.Problem);
    }

    [Fact]
    public async Task A_token_sent_over_http_comes_with_a_warning()
    {
        await using var server = LoopbackHttpServer.Version("v1.32.2");

        var passed = await ConnectionTester.TestAsync(server.Url, Token);
        var failed = await ConnectionTester.TestAsync(new Uri("http://169.254.169.254/"), Token, new NetworkHooks().Guard());

        Assert.True(passed.Succeeded, passed.Problem);
        Assert.Equal("The bearer token travels unencrypted over http://: anyone on the network path can read and reuse it. Use https://.", passed.Warning);
        Assert.Equal(ConnectionTester.TokenInClearWarning, failed.Warning);
    }

    [Fact]
    public async Task Every_client_connects_through_its_guard()
    {
        var hooks = new NetworkHooks().Resolve("metadata.google.internal", IPAddress.Parse("169.254.169.254"));
        using var client = KubernetesClients.Create(new Uri("http://metadata.google.internal"), Token, addresses: hooks.Guard());

        // A list, as the informers make.
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());

        Assert.IsType<AddressRefusedException>(failure.InnerException);
        Assert.Empty(hooks.Connects);
    }

    [Fact]
    public void A_client_made_without_a_guard_gets_the_default_one_and_no_proxy()
    {
        var configuration = KubernetesClients.Configuration(new Uri("https://10.0.0.1:6443"), Token);
        using var handler = new SocketsHttpHandler();

        configuration.FirstMessageHandlerSetup(handler);

        Assert.Equal<Action<SocketsHttpHandler>>(AddressGuard.Default.Apply, configuration.FirstMessageHandlerSetup);
        Assert.NotNull(handler.ConnectCallback);
        Assert.False(handler.UseProxy);
        Assert.False(handler.AllowAutoRedirect);
    }
}
