using System.Net.Sockets;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Core;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Simulator.Hosting;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>
/// A client made with an <see cref="Impersonation"/> acts as that user and each of those groups on a simulated cluster
/// over TLS, as kube-apiserver reads them: every Impersonate-Group header line one group, never split at commas.
/// </summary>
public sealed class ImpersonationTests : IAsyncLifetime
{
    private SimulatorHost _simulator = default!;

    private SimulatedCluster Cluster => _simulator["imp"];

    public async Task InitializeAsync() =>
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "imp", Nodes = 1, Pods = 0, Namespaces = ["team-a"] }] });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task An_impersonated_client_is_the_user_with_each_group_as_its_own_value_request_after_request()
    {
        var impersonation = Impersonation.Of("multicluster:user:ana", ["multicluster:team:payments", "multicluster:team:search", "system:authenticated"]);
        using var client = KubernetesClients.Create(Cluster.BaseUrl, Credentials(), impersonation: impersonation);
        Cluster.Requests.Clear();

        // Two reviews (bodies with a Content-Length) and a refused list on the same connection: the framing holds from one request to the next.
        var first = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());
        var second = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedPodAsync("team-a"));

        Assert.Equal("multicluster:user:ana", first.Status.UserInfo.Username);
        Assert.Equal(["multicluster:team:payments", "multicluster:team:search", "system:authenticated"], first.Status.UserInfo.Groups);
        Assert.Equal(first.Status.UserInfo.Groups, second.Status.UserInfo.Groups);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains("User \"multicluster:user:ana\" cannot list resource \"pods\"", MultiCluster.Kubernetes.Reconcile.KubernetesStatus.MessageOf(refused), StringComparison.Ordinal);
        Assert.All(Cluster.Requests.Recent, r => Assert.Equal(("multicluster:user:ana", 3, "kubernetes-admin"), (r.User, r.Groups.Count, r.ImpersonatedBy)));
        Assert.Equal(3, Cluster.Requests.Recent.Count);
    }

    [Fact]
    public async Task Without_an_impersonation_the_client_is_the_dashboards_own_identity()
    {
        using var client = KubernetesClients.Create(Cluster.BaseUrl, Credentials());

        var review = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());

        Assert.Equal("kubernetes-admin", review.Status.UserInfo.Username);
        Assert.Null(Cluster.Requests.Recent[^1].ImpersonatedBy);
    }

    [Theory]
    [InlineData("ana\r\nImpersonate-Group: system:masters", "team")]
    [InlineData("ana\n", "team")]
    [InlineData("ana\u0000", "team")]
    [InlineData("anä", "team")]
    [InlineData(" ana", "team")]
    [InlineData("", "team")]
    [InlineData("ana", "team\r\nImpersonate-Group: system:masters")]
    [InlineData("ana", "payments, system:masters")]
    [InlineData("ana", "team\u007f")]
    public void Hostile_names_are_refused_before_any_client_exists(string user, string group)
    {
        var refused = Assert.Throws<ArgumentException>(() => Impersonation.Of(user, [group, "system:authenticated"]));

        Assert.StartsWith("The impersonated", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_simulator_reads_each_Impersonate_Group_line_as_one_group_and_never_splits_a_joined_one_as_kube_apiserver_does()
    {
        await using var plain = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, UseHttps = false, Clusters = [new ClusterOptions { Name = "plain", Nodes = 1, Pods = 0 }] });
        var cluster = plain["plain"];

        await SendRawReviewAsync(cluster, "Impersonate-Group: a, b\r\n");
        var joined = cluster.Requests.Recent[^1];
        await SendRawReviewAsync(cluster, "Impersonate-Group: a\r\nImpersonate-Group: b\r\n");
        var separate = cluster.Requests.Recent[^1];

        Assert.Equal(["a, b", "system:authenticated"], joined.Groups);
        Assert.Equal(["a", "b", "system:authenticated"], separate.Groups);
    }

    [Fact]
    public async Task Chunked_bodies_keep_the_framing_so_every_request_on_the_connection_is_impersonated()
    {
        await using var plain = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, UseHttps = false, Clusters = [new ClusterOptions { Name = "plain", Nodes = 1, Pods = 0 }] });
        var cluster = plain["plain"];
        var impersonation = Impersonation.Of("ana", ["a", "b"]);
        var sockets = new SocketsHttpHandler();
        impersonation.Apply(sockets);
        using var http = new HttpClient(new HeaderHandlerChain(impersonation.CreateHandler(), sockets));
        http.DefaultRequestHeaders.Authorization = new("Bearer", cluster.Token);
        var url = new Uri($"{cluster.BaseUrl.ToString().TrimEnd('/')}/apis/authentication.k8s.io/v1/selfsubjectreviews");
        cluster.Requests.Clear();

        for (var i = 0; i < 3; i++)
        {
            // A stream of unknown length goes out chunked: the next head starts after its last chunk.
            using var body = new StreamContent(new NonSeekable("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"""u8.ToArray()));
            body.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync(url, body);
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        }

        Assert.Equal(3, cluster.Requests.Recent.Count);
        Assert.All(cluster.Requests.Recent, r => Assert.Equal(("ana", "a|b|system:authenticated"), (r.User, string.Join('|', r.Groups))));
    }

    private ClusterCredentials Credentials() => new() { Token = Cluster.Token, CertificateAuthorityPem = Cluster.CertificateAuthorityPem };

    /// <summary>A SelfSubjectReview written byte by byte, with the impersonation headers exactly as given.</summary>
    private static async Task SendRawReviewAsync(SimulatedCluster cluster, string groupLines)
    {
        const string Body = """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""";
        var request = $"POST {cluster.BaseUrl.AbsolutePath.TrimEnd('/')}/apis/authentication.k8s.io/v1/selfsubjectreviews HTTP/1.1\r\n"
            + $"Host: {cluster.BaseUrl.Authority}\r\nAuthorization: Bearer {cluster.Token}\r\nImpersonate-User: ana\r\n{groupLines}"
            + $"Content-Type: application/json\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}";
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(cluster.BaseUrl.Host, cluster.BaseUrl.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 201", response, StringComparison.Ordinal);
    }

    private sealed class HeaderHandlerChain : DelegatingHandler
    {
        public HeaderHandlerChain(DelegatingHandler headers, HttpMessageHandler sockets)
        {
            headers.InnerHandler = sockets;
            InnerHandler = headers;
        }
    }

    /// <summary>Content whose length HttpClient cannot know, so it is sent chunked.</summary>
    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
