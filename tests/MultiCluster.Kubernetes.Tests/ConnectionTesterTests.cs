using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MultiCluster.Core;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Kubeconfigs;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The connection test against real API server behaviour (the simulator over HTTPS).</summary>
public sealed class ConnectionTesterTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task A_good_token_and_ca_report_the_kubernetes_version()
    {
        var alpha = fixture.Simulator["alpha"];

        var result = await ConnectionTester.TestAsync(alpha.BaseUrl, new ClusterCredentials { Token = alpha.Token, CertificateAuthorityPem = alpha.CertificateAuthorityPem });

        Assert.True(result.Succeeded, result.Problem);
        Assert.Equal("v1.31.4", result.KubernetesVersion);
        Assert.Null(result.Warning);
    }

    [Fact]
    public async Task A_client_certificate_works_as_well_as_a_token()
    {
        var beta = fixture.Simulator["beta"];

        var result = await ConnectionTester.TestAsync(beta.BaseUrl, new ClusterCredentials
        {
            ClientCertificatePem = beta.ClientCertificatePem,
            ClientKeyPem = beta.ClientKeyPem,
            CertificateAuthorityPem = beta.CertificateAuthorityPem,
        });

        Assert.True(result.Succeeded, result.Problem);
        Assert.Equal("v1.32.2", result.KubernetesVersion);
    }

    [Fact]
    public async Task A_wrong_token_is_explained_as_401()
    {
        var alpha = fixture.Simulator["alpha"];

        var result = await ConnectionTester.TestAsync(alpha.BaseUrl, new ClusterCredentials { Token = "not-the-token", CertificateAuthorityPem = alpha.CertificateAuthorityPem });

        Assert.False(result.Succeeded);
        Assert.Equal("The API server refused these credentials (401 Unauthorized): the token or client certificate is wrong, expired or revoked.", result.Problem);
    }

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_not_trusted()
    {
        var alpha = fixture.Simulator["alpha"];

        var result = await ConnectionTester.TestAsync(alpha.BaseUrl, new ClusterCredentials { Token = alpha.Token, CertificateAuthorityPem = OtherCa() });

        Assert.False(result.Succeeded);
        Assert.Equal($"The TLS certificate of {alpha.BaseUrl.Host}:{alpha.BaseUrl.Port} is not trusted: it does not chain to the CA given, or it was issued for another name.", result.Problem);
    }

    [Fact]
    public async Task Plain_http_to_an_https_server_suggests_https()
    {
        var alpha = fixture.Simulator["alpha"];

        var result = await ConnectionTester.TestAsync(new UriBuilder(alpha.BaseUrl) { Scheme = "http" }.Uri, new ClusterCredentials { Token = alpha.Token });

        Assert.Equal($"{alpha.BaseUrl.Host}:{alpha.BaseUrl.Port} closed the connection without answering: if it serves https, use https://.", result.Problem);
        Assert.Equal(ConnectionTester.TokenInClearWarning, result.Warning);
    }

    [Fact]
    public async Task Skipping_tls_verification_connects_without_a_ca()
    {
        var alpha = fixture.Simulator["alpha"];

        var result = await ConnectionTester.TestAsync(alpha.BaseUrl, new ClusterCredentials { Token = alpha.Token, InsecureSkipTlsVerify = true });

        Assert.True(result.Succeeded, result.Problem);
    }

    [Fact]
    public async Task The_simulator_s_kubeconfig_reads_into_usable_contexts_that_connect()
    {
        var kubeconfig = KubeconfigReader.Read(fixture.Simulator.BuildKubeconfigYaml());

        Assert.True(kubeconfig.Succeeded, kubeconfig.Error);
        Assert.Equal(["alpha", "beta"], kubeconfig.Contexts.Select(c => c.Name).Order());
        foreach (var context in kubeconfig.Contexts)
        {
            Assert.True(context.IsUsable, context.Problem);
            var result = await ConnectionTester.TestAsync(context.Server!, context.Credentials!);
            Assert.True(result.Succeeded, $"{context.Name}: {result.Problem}");
        }
    }

    private static string OtherCa()
    {
        using var key = ECDsa.Create();
        var request = new CertificateRequest("CN=someone else's CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
