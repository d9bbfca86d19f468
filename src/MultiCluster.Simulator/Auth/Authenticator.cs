using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace MultiCluster.Simulator.Auth;

/// <summary>
/// One cluster's authenticators: static bearer tokens (the admin's, the viewer's and any added users', as
/// --token-auth-file) and the admin's client certificate. Every identity carries system:authenticated.
/// </summary>
internal sealed class Authenticator
{
    public const string AdminName = "kubernetes-admin";
    public const string ViewerName = "viewer";

    private readonly ConcurrentDictionary<string, UserInfo> _tokens = new(StringComparer.Ordinal);
    private readonly X509Certificate2? _clientCertificate;

    public Authenticator(string adminToken, string viewerToken, X509Certificate2? clientCertificate)
    {
        Admin = UserInfo.Authenticate(AdminName, "", [UserInfo.SystemMasters]);
        _tokens[adminToken] = Admin;
        _tokens[viewerToken] = UserInfo.Authenticate(ViewerName, "", []);
        _clientCertificate = clientCertificate;
    }

    public UserInfo Admin { get; }

    public void Add(TokenUser user)
    {
        if (user.Token.Length == 0 || user.Name.Length == 0)
        {
            throw new ArgumentException("A token user needs a token and a name.", nameof(user));
        }
        _tokens[user.Token] = UserInfo.Authenticate(user.Name, user.Uid, user.Groups ?? []);
    }

    public bool Remove(string token) => _tokens.TryRemove(token, out _);

    /// <summary>The identity a request presents, or null for 401.</summary>
    public UserInfo? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return _tokens.GetValueOrDefault(header[7..].Trim());
        }
        return header.Length == 0 && _clientCertificate is not null && context.Connection.ClientCertificate is { } certificate &&
            certificate.Thumbprint == _clientCertificate.Thumbprint ? Admin : null;
    }
}
