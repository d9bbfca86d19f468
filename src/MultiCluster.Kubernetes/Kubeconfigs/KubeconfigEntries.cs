using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MultiCluster.Core;
using YamlDotNet.RepresentationModel;

namespace MultiCluster.Kubernetes.Kubeconfigs;

/// <summary>The clusters: and users: entries of a kubeconfig, each with the reason it cannot be used, if any.</summary>
internal static class KubeconfigEntries
{
    public sealed record Cluster(Uri? Server, string? CertificateAuthorityPem, bool InsecureSkipTlsVerify, string? TlsServerName, string? Problem);

    public sealed record User(ClusterCredentials Credentials, string? Problem);

    private static readonly (string Key, string Instead)[] ClusterFileReferences =
    [
        ("certificate-authority", "embed the CA as certificate-authority-data"),
    ];

    private static readonly (string Key, string Instead)[] UserFileReferences =
    [
        ("tokenFile", "put the token itself in token:"),
        ("client-certificate", "embed it as client-certificate-data"),
        ("client-key", "embed it as client-key-data"),
    ];

    public static Cluster ReadCluster(string name, YamlMappingNode body)
    {
        var owner = $"cluster '{name}'";
        var problem = FileReference(body, owner, ClusterFileReferences);
        if (problem is null && body.Get("proxy-url") is { } proxy)
        {
            problem = $"{Where(proxy)}{owner} is reached through a proxy (proxy-url), which the dashboard does not support.";
        }
        var server = ReadServer(body, owner, ref problem);
        var ca = Pem(body, "certificate-authority-data", owner, ref problem);
        if (ca is not null && problem is null && !IsCertificate(ca))
        {
            problem = $"{Where(body.Get("certificate-authority-data")!)}certificate-authority-data of {owner} is not a PEM certificate.";
        }
        return new Cluster(server, ca, body.Bool("insecure-skip-tls-verify", owner), body.String("tls-server-name", owner), problem);
    }

    public static User ReadUser(string name, YamlMappingNode body)
    {
        var owner = $"user '{name}'";
        var problem = Refused(body, owner) ?? FileReference(body, owner, UserFileReferences);
        var token = body.String("token", owner);
        var certificate = Pem(body, "client-certificate-data", owner, ref problem);
        var key = Pem(body, "client-key-data", owner, ref problem);
        if (problem is null && (certificate is null) != (key is null))
        {
            problem = $"{Where(body)}{owner} has a client certificate without its key, or a key without its certificate; give both client-certificate-data and client-key-data.";
        }
        if (problem is null && certificate is not null && key is not null && !IsKeyPair(certificate, key))
        {
            problem = $"{Where(body.Get("client-certificate-data")!)}the client certificate and key of {owner} are not a matching PEM certificate and private key.";
        }
        if (problem is null && string.IsNullOrWhiteSpace(token) && certificate is null)
        {
            problem = $"{Where(body)}{owner} has no credentials the dashboard can use: give a token (token:) or an embedded client certificate (client-certificate-data and client-key-data).";
        }
        var credentials = new ClusterCredentials
        {
            Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim(),
            ClientCertificatePem = certificate,
            ClientKeyPem = key,
        };
        return new User(credentials, problem);
    }

    private static string? Refused(YamlMappingNode body, string owner)
    {
        if (body.Get("exec") is YamlMappingNode exec)
        {
            var command = exec.String("command", $"exec of {owner}") ?? "a command";
            return $"{Where(exec)}{owner} gets its credentials by running a command (exec: {command}). The dashboard never runs commands from a kubeconfig; use a service account token (token:) or an embedded client certificate instead.";
        }
        if (body.Get("exec") is { } execOther)
        {
            return $"{Where(execOther)}{owner} gets its credentials by running a command (exec). The dashboard never runs commands from a kubeconfig; use a service account token (token:) or an embedded client certificate instead.";
        }
        if (body.Get("auth-provider") is { } provider)
        {
            var providerName = (provider as YamlMappingNode)?.String("name", $"auth-provider of {owner}") ?? "unnamed";
            return $"{Where(provider)}{owner} uses the auth-provider plugin '{providerName}', which the dashboard does not run; use a service account token (token:) or an embedded client certificate instead.";
        }
        if ((body.Get("username") ?? body.Get("password")) is { } basic)
        {
            return $"{Where(basic)}{owner} uses a username and password (basic authentication), which Kubernetes no longer supports; use a token or a client certificate.";
        }
        foreach (var key in new[] { "as", "as-uid", "as-groups", "as-user-extra" })
        {
            if (body.Get(key) is { } impersonation)
            {
                return $"{Where(impersonation)}{owner} sets impersonation ({key}); the dashboard decides impersonation itself, so remove it.";
            }
        }
        return null;
    }

    private static string? FileReference(YamlMappingNode body, string owner, (string Key, string Instead)[] keys)
    {
        foreach (var (key, instead) in keys)
        {
            if (body.Get(key) is { } node)
            {
                var path = (node as YamlScalarNode)?.Value ?? "";
                return $"{Where(node)}{owner} refers to a file on the server ({key}: {path}). The dashboard never reads local files because of a kubeconfig; {instead}.";
            }
        }
        return null;
    }

    private static Uri? ReadServer(YamlMappingNode body, string owner, ref string? problem)
    {
        var text = body.String("server", owner);
        if (string.IsNullOrWhiteSpace(text))
        {
            problem ??= $"{Where(body)}{owner} has no server URL.";
            return null;
        }
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http") || server.Host.Length == 0)
        {
            problem ??= $"{Where(body.Get("server")!)}the server of {owner} ('{text}') is not an http(s) URL such as https://10.0.0.1:6443.";
            return null;
        }
        if (server.UserInfo.Length > 0 || server.Query.Length > 0 || server.Fragment.Length > 0)
        {
            problem ??= $"{Where(body.Get("server")!)}the server of {owner} must be a plain URL, without user name, query or fragment.";
            return null;
        }
        return server;
    }

    private static string? Pem(YamlMappingNode body, string key, string owner, ref string? problem)
    {
        var base64 = body.String(key, owner);
        if (base64 is null)
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
            if (!text.Contains("-----BEGIN ", StringComparison.Ordinal))
            {
                problem ??= $"{Where(body.Get(key)!)}{key} of {owner} does not hold PEM data.";
                return null;
            }
            return text;
        }
        catch (FormatException)
        {
            problem ??= $"{Where(body.Get(key)!)}{key} of {owner} is not valid base64.";
            return null;
        }
    }

    private static bool IsCertificate(string pem)
    {
        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(pem);
            var any = collection.Count > 0;
            foreach (var certificate in collection)
            {
                certificate.Dispose();
            }
            return any;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool IsKeyPair(string certificatePem, string keyPem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            return certificate.HasPrivateKey;
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Where(YamlNode node) => YamlNodes.Capitalized(YamlNodes.At(node));
}
