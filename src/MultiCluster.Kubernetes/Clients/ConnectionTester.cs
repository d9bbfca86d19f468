using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using MultiCluster.Core;

namespace MultiCluster.Kubernetes.Clients;

/// <summary>
/// What a connection test found: the Kubernetes version, or the cause in plain words; and a warning, such as a
/// token sent unencrypted, whatever the outcome.
/// </summary>
public sealed record ConnectionTestResult(bool Succeeded, string? KubernetesVersion, string? Problem, TimeSpan Elapsed, string? Warning = null)
{
    public static ConnectionTestResult Success(string version, TimeSpan elapsed) => new(true, version, null, elapsed);

    public static ConnectionTestResult Failure(string problem, TimeSpan elapsed) => new(false, null, problem, elapsed);
}

/// <summary>
/// Asks a cluster for <c>/version</c> the way the dashboard will talk to it later, and explains failures. The
/// explanations never repeat what a server sent: the URL is the caller's to choose, and the answer must not
/// become a way to read internal services through the dashboard.
/// </summary>
public static class ConnectionTester
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public const string TokenInClearWarning =
        "The bearer token travels unencrypted over http://: anyone on the network path can read and reuse it. Use https://.";

    public static Task<ConnectionTestResult> TestAsync(Uri server, ClusterCredentials credentials, CancellationToken cancellationToken = default) =>
        TestAsync(server, credentials, AddressGuard.Default, cancellationToken);

    public static async Task<ConnectionTestResult> TestAsync(Uri server, ClusterCredentials credentials, AddressGuard addresses, CancellationToken cancellationToken = default)
    {
        var warning = server.Scheme == Uri.UriSchemeHttp && !string.IsNullOrEmpty(credentials.Token) ? TokenInClearWarning : null;
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var client = KubernetesClients.Create(server, credentials, Timeout + TimeSpan.FromSeconds(1), addresses);
            var version = await client.Version.GetCodeAsync(timeout.Token);
            var result = version is { GitVersion: { Length: > 0 } gitVersion }
                ? ConnectionTestResult.Success(gitVersion, clock.Elapsed)
                : ConnectionTestResult.Failure(NotKubernetes(server), clock.Elapsed);
            return result with { Warning = warning };
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Explain(ex, server) is { } problem)
        {
            return ConnectionTestResult.Failure(problem, clock.Elapsed) with { Warning = warning };
        }
    }

    /// <summary>The cause of a failed call in words an operator acts on; null for exceptions that are bugs.</summary>
    public static string? Explain(Exception ex, Uri server)
    {
        var endpoint = $"{server.Host}:{server.Port}";
        if (ex is HttpOperationException http)
        {
            // Only a Kubernetes Status body earns a Kubernetes reading of 403 and the rest; any other answer's status
            // and body would describe whatever service sits at that address. 401 is the exception: auth proxies in
            // front of API servers answer it in their own format, and it says no more than "wants credentials".
            return http.Response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => "The API server refused these credentials (401 Unauthorized): the token or client certificate is wrong, expired or revoked.",
                HttpStatusCode.NotFound => NotKubernetes(server),
                _ when !IsKubernetesStatus(http.Response.Content) => NotKubernetes(server),
                HttpStatusCode.Forbidden => "The credentials are valid, but may not read the server's version (403 Forbidden); give this identity read access.",
                var status => $"The API server answered {(int)status} {status} to /version.",
            };
        }
        if (ex is JsonException)
        {
            return NotKubernetes(server);
        }
        if (ex is OperationCanceledException or TimeoutException)
        {
            return $"The API server at {endpoint} did not answer within {Timeout.TotalSeconds:0} seconds.";
        }
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case AddressRefusedException refused:
                    return refused.Message;
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return $"The host name {server.Host} does not resolve (DNS).";
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"Nothing accepts connections at {endpoint} (connection refused): the cluster is down or the port is wrong.";
                case SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable } socket:
                    return $"{endpoint} cannot be reached ({socket.SocketErrorCode}).";
                case AuthenticationException:
                    return $"The TLS certificate of {endpoint} is not trusted: it does not chain to the CA given, or it was issued for another name.";
            }
        }
        if (ex is HttpRequestException request)
        {
            return request.HttpRequestError switch
            {
                HttpRequestError.SecureConnectionError => $"The TLS handshake with {endpoint} failed: check that it serves https on that port.",
                HttpRequestError.InvalidResponse => NotKubernetes(server),
                // A server that was answering cut the stream (a restart, a listener closing): not a sign of another service.
                HttpRequestError.HttpProtocolError => $"The connection to {endpoint} was cut off in the middle of an answer; the API server may be restarting.",
                HttpRequestError.ResponseEnded when server.Scheme == Uri.UriSchemeHttp => $"{endpoint} closed the connection without answering: if it serves https, use https://.",
                HttpRequestError.ResponseEnded => $"{endpoint} closed the connection without answering.",
                _ => $"The connection to {endpoint} failed before the API server answered.",
            };
        }
        return null;
    }

    private static string NotKubernetes(Uri server) =>
        $"{server} is not a Kubernetes API server: it does not answer /version the way Kubernetes does. Check the URL's scheme, port and path.";

    /// <summary>Whether <paramref name="content"/> is a meta/v1 Status, the body Kubernetes gives every failure.</summary>
    private static bool IsKubernetesStatus(string? content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.ValueEquals("Status")
                && root.TryGetProperty("apiVersion", out var apiVersion) && apiVersion.ValueKind == JsonValueKind.String && apiVersion.ValueEquals("v1");
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
