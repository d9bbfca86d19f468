using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using MultiCluster.Core;

namespace MultiCluster.Kubernetes.Clients;

/// <summary>
/// Builds a KubernetesClient for one cluster from its stored server URL and credentials; nothing is read from files.
/// Every connection goes through an <see cref="AddressGuard"/>, <see cref="AddressGuard.Default"/> unless another is given.
/// With an <see cref="Impersonation"/>, every request acts as that user and those groups (the credentials need the
/// <c>impersonate</c> verb on them); the client keeps its own connections, never shared with an unimpersonated one.
/// </summary>
public static class KubernetesClients
{
    public static KubernetesClientConfiguration Configuration(Uri server, ClusterCredentials credentials, TimeSpan? timeout = null, AddressGuard? addresses = null,
        Impersonation? impersonation = null)
    {
        var guard = addresses ?? AddressGuard.Default;
        var configuration = new KubernetesClientConfiguration
        {
            Host = server.ToString().TrimEnd('/'),
            AccessToken = credentials.Token,
            SkipTlsVerify = credentials.InsecureSkipTlsVerify,
            TlsServerName = credentials.TlsServerName,
            // The replica in the cluster's audit log, so a write can be traced to the process that made it.
            UserAgent = $"MultiCluster/1.0 ({Replica.Name})",
            FirstMessageHandlerSetup = impersonation is null ? guard.Apply : handler =>
            {
                guard.Apply(handler);
                impersonation.Apply(handler);
            },
        };
        if (timeout is { } limit)
        {
            configuration.HttpClientTimeout = limit;
        }
        if (credentials.CertificateAuthorityPem is { } ca)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPem(ca);
            configuration.SslCaCerts = authorities;
        }
        if (credentials.HasClientCertificate)
        {
            configuration.ClientCertificateData = Base64(credentials.ClientCertificatePem!);
            configuration.ClientCertificateKeyData = Base64(credentials.ClientKeyPem!);
        }
        return configuration;
    }

    /// <summary>
    /// A client whose every request is traced (<see cref="ClusterRequestTracing"/>), tagged with <paramref name="cluster"/> when given;
    /// its watches are read with <see cref="Informers.WatchEvents"/> (<see cref="ClusterApiClient"/>).
    /// </summary>
    public static ClusterApiClient Create(Uri server, ClusterCredentials credentials, TimeSpan? timeout = null, AddressGuard? addresses = null,
        Impersonation? impersonation = null, string? cluster = null) =>
        impersonation is null
            ? new(Configuration(server, credentials, timeout, addresses), new ClusterRequestTracing(cluster))
            : new(Configuration(server, credentials, timeout, addresses, impersonation), new ClusterRequestTracing(cluster), impersonation.CreateHandler());

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
}
