using System.Net;
using System.Net.Sockets;
using MultiCluster.Core;
using MultiCluster.Kubernetes.Clients;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>Failures below HTTP, produced for real on loopback: nothing listening, a server that never answers, a name that does not resolve.</summary>
public sealed class ConnectionTesterNetworkTests
{
    private static readonly ClusterCredentials Token = new() { Token = "abc" };

    [Fact]
    public async Task A_closed_port_is_reported_as_connection_refused()
    {
        var port = ClosedPort();

        var result = await ConnectionTester.TestAsync(new Uri($"http://127.0.0.1:{port}"), Token);

        Assert.False(result.Succeeded);
        Assert.Equal($"Nothing accepts connections at 127.0.0.1:{port} (connection refused): the cluster is down or the port is wrong.", result.Problem);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_after_five_seconds()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepting = silent.AcceptTcpClientAsync();

        var result = await ConnectionTester.TestAsync(new Uri($"http://127.0.0.1:{port}"), Token);
        using var accepted = await accepting; // held open, silent, until the test ends

        Assert.False(result.Succeeded);
        Assert.Equal($"The API server at 127.0.0.1:{port} did not answer within 5 seconds.", result.Problem);
        // It waited out the timeout before giving up; how much longer it took depends on the machine's load.
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(4.5), $"The test gave up after {result.Elapsed.TotalSeconds:0.0} s.");
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_reported_as_dns()
    {
        // The hooks answer the lookup as a resolver does for an unknown name: no query leaves the machine.
        var result = await ConnectionTester.TestAsync(new Uri("https://api.no-such-cluster.invalid:6443"), Token, new NetworkHooks().Guard());

        Assert.False(result.Succeeded);
        Assert.Equal("The host name api.no-such-cluster.invalid does not resolve (DNS).", result.Problem);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
