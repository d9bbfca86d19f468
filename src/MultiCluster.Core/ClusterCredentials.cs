using System.Text.Json.Serialization;

namespace MultiCluster.Core;

/// <summary>
/// How the dashboard proves who it is to one cluster's API server, and how it checks the server.
/// Secret parts (token, client key) are encrypted at rest and never leave the server process.
/// </summary>
public sealed record ClusterCredentials
{
    /// <summary>A bearer token (a service account token, for example).</summary>
    public string? Token { get; init; }

    /// <summary>A PEM client certificate, used together with <see cref="ClientKeyPem"/>.</summary>
    public string? ClientCertificatePem { get; init; }

    /// <summary>The PEM private key of <see cref="ClientCertificatePem"/>.</summary>
    public string? ClientKeyPem { get; init; }

    /// <summary>The PEM CA bundle the API server's certificate must chain to; null means the system's trust store.</summary>
    public string? CertificateAuthorityPem { get; init; }

    /// <summary>TLS verification off: only an Administrator may choose it, and the cluster list shows it as a warning.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>The server name to verify instead of the URL's host (kubeconfig <c>tls-server-name</c>).</summary>
    public string? TlsServerName { get; init; }

    [JsonIgnore]
    public bool HasClientCertificate => ClientCertificatePem is not null && ClientKeyPem is not null;

    /// <summary>Never prints a secret, whatever logs or debuggers do with the record.</summary>
    public override string ToString() =>
        $"ClusterCredentials {{ Token = {(Token is null ? "none" : "***")}, ClientCertificate = {(HasClientCertificate ? "***" : "none")}, " +
        $"CertificateAuthority = {(CertificateAuthorityPem is null ? "system" : "custom")}, InsecureSkipTlsVerify = {InsecureSkipTlsVerify} }}";
}
