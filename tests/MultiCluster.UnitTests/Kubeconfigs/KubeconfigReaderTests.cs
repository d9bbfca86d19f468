using MultiCluster.Kubernetes.Kubeconfigs;

namespace MultiCluster.UnitTests.Kubeconfigs;

public sealed class KubeconfigReaderTests
{
    [Fact]
    public void A_token_context_resolves_to_its_server_token_and_ca()
    {
        var result = KubeconfigReader.Read(TestKubeconfigs.With());

        Assert.True(result.Succeeded, result.Error);
        var context = Assert.Single(result.Contexts);
        Assert.True(context.IsUsable, context.Problem);
        Assert.Equal(("ctx1", "c1", "u1"), (context.Name, context.ClusterName, context.UserName));
        Assert.Equal(new Uri("https://10.0.0.1:6443"), context.Server);
        Assert.Equal("abc.def", context.Credentials!.Token);
        Assert.Equal(TestKubeconfigs.CaPem, context.Credentials.CertificateAuthorityPem);
        Assert.False(context.Credentials.InsecureSkipTlsVerify);
        Assert.Equal("ctx1", result.CurrentContext);
    }

    [Fact]
    public void An_embedded_client_certificate_is_accepted()
    {
        var yaml = TestKubeconfigs.With(user:
            $"client-certificate-data: {TestKubeconfigs.Base64(TestKubeconfigs.ClientCertificatePem)}\n" +
            $"client-key-data: {TestKubeconfigs.Base64(TestKubeconfigs.ClientKeyPem)}");

        var context = Assert.Single(KubeconfigReader.Read(yaml).Contexts);

        Assert.True(context.IsUsable, context.Problem);
        Assert.True(context.Credentials!.HasClientCertificate);
        Assert.Null(context.Credentials.Token);
    }

    [Fact]
    public void Several_contexts_are_listed_and_a_bad_one_does_not_hide_the_good_ones()
    {
        const string yaml = """
            clusters:
            - name: prod
              cluster: { server: "https://prod.example.com/clusters/prod", insecure-skip-tls-verify: true, tls-server-name: api.prod }
            - name: dev
              cluster: { server: "http://127.0.0.1:8080" }
            users:
            - name: admin
              user: { token: t0k3n }
            - name: gke
              user:
                exec: { command: gke-gcloud-auth-plugin, apiVersion: client.authentication.k8s.io/v1beta1 }
            contexts:
            - name: prod
              context: { cluster: prod, user: admin, namespace: payments }
            - name: dev
              context: { cluster: dev, user: gke }
            """;

        var result = KubeconfigReader.Read(yaml);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["prod", "dev"], result.Contexts.Select(c => c.Name));
        var prod = result.Contexts[0];
        Assert.True(prod.IsUsable);
        Assert.Equal("payments", prod.Namespace);
        Assert.Equal(new Uri("https://prod.example.com/clusters/prod"), prod.Server);
        Assert.True(prod.Credentials!.InsecureSkipTlsVerify);
        Assert.Equal("api.prod", prod.Credentials.TlsServerName);
        var dev = result.Contexts[1];
        Assert.False(dev.IsUsable);
        Assert.Null(dev.Credentials);
        Assert.Equal(new Uri("http://127.0.0.1:8080"), dev.Server);
        Assert.StartsWith("Line 11, column 11: user 'gke' gets its credentials by running a command (exec: gke-gcloud-auth-plugin).", dev.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_never_show_in_their_text_form()
    {
        var context = Assert.Single(KubeconfigReader.Read(TestKubeconfigs.With(user: "token: super-secret-token")).Contexts);

        Assert.DoesNotContain("super-secret-token", context.Credentials!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("super-secret-token", context.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadKubeconfigs.All), MemberType = typeof(BadKubeconfigs))]
    public void A_bad_kubeconfig_is_refused_with_a_precise_message(string name, string yaml, string expected)
    {
        var result = KubeconfigReader.Read(yaml);

        Assert.DoesNotContain(result.Contexts, c => c.IsUsable);
        var message = result.Error ?? string.Join(" | ", result.Contexts.Select(c => c.Problem));
        Assert.True(message.Contains(expected, StringComparison.Ordinal), $"{name}: expected «{expected}» in «{message}»");
    }

    [Fact]
    public void The_corpus_of_bad_kubeconfigs_is_large()
    {
        Assert.True(BadKubeconfigs.All.Count() >= 50, "at least 50 bad kubeconfigs");
    }
}
