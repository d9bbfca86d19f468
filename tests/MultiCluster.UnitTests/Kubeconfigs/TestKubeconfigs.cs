using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MultiCluster.UnitTests.Kubeconfigs;

/// <summary>Kubeconfig texts for tests, built around one valid document with real certificates.</summary>
public static class TestKubeconfigs
{
    private static readonly Lazy<(string CertificatePem, string KeyPem)> ClientPair = new(() => NewPair("client"));
    private static readonly Lazy<(string CertificatePem, string KeyPem)> OtherPair = new(() => NewPair("other"));
    private static readonly Lazy<(string CertificatePem, string KeyPem)> AuthorityPair = new(() => NewPair("ca"));

    public static string ClientCertificatePem => ClientPair.Value.CertificatePem;

    public static string ClientKeyPem => ClientPair.Value.KeyPem;

    public static string OtherKeyPem => OtherPair.Value.KeyPem;

    public static string CaPem => AuthorityPair.Value.CertificatePem;

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>A valid kubeconfig with one context; <paramref name="cluster"/> and <paramref name="user"/> replace the bodies.</summary>
    public static string With(string? cluster = null, string? user = null, string? context = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c1
          cluster:
        {Indent(cluster ?? $"server: https://10.0.0.1:6443\ncertificate-authority-data: {Base64(CaPem)}")}
        users:
        - name: u1
          user:
        {Indent(user ?? "token: abc.def")}
        contexts:
        - name: ctx1
          context:
        {Indent(context ?? "cluster: c1\nuser: u1")}
        current-context: ctx1
        """;

    private static string Indent(string body) =>
        string.Join("\n", body.Split('\n').Select(line => "    " + line));

    private static (string, string) NewPair(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
