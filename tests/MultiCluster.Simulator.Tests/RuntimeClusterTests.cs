using System.Net.Sockets;
using k8s;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Simulator.Tests;

/// <summary>Clusters added to and removed from a running simulator.</summary>
public sealed class RuntimeClusterTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task A_cluster_added_at_runtime_answers_and_a_removed_one_refuses_connections()
    {
        var added = await fixture.Host.AddClusterAsync(new ClusterOptions { Name = "gamma", Nodes = 2, KubernetesVersion = "v1.30.6" });
        using var client = new Kubernetes(added.CreateClientConfiguration());

        var version = await client.Version.GetCodeAsync();
        var nodes = await client.CoreV1.ListNodeAsync();
        Assert.Equal("v1.30.6", version.GitVersion);
        Assert.Equal(2, nodes.Items.Count);
        Assert.Same(added, fixture.Host["gamma"]);
        Assert.Contains(added, fixture.Host.Clusters);

        await fixture.Host.RemoveClusterAsync("gamma");

        // The client's pooled connection was closed under it (its error may say so in other words); a new connection is refused.
        await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());
        using var fresh = new Kubernetes(added.CreateClientConfiguration());
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fresh.CoreV1.ListNamespaceAsync());
        Assert.Equal(SocketError.ConnectionRefused, (error.InnerException as SocketException)?.SocketErrorCode);
        Assert.DoesNotContain(fixture.Host.Clusters, c => c.Name == "gamma");
        Assert.Throws<KeyNotFoundException>(() => fixture.Host["gamma"]);
        Assert.NotEmpty((await fixture.CreateClient().CoreV1.ListNamespaceAsync()).Items);
    }

    [Fact]
    public async Task Adding_a_cluster_under_a_name_in_use_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Host.AddClusterAsync(new ClusterOptions { Name = "beta" }));

        Assert.Contains("'beta' already exists", error.Message);
        Assert.Equal(2, fixture.Host.Clusters.Count(c => c.Name is "alpha" or "beta"));
    }
}
