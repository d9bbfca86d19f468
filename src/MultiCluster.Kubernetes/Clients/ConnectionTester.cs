using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using k8s;
using k8s.Autorest;
using MultiCluster.Core;

namespace MultiCluster.Kubernetes.Clients;

/// <summary>What a connection test found: the Kubernetes version, or the cause in plain words.</summary>
public sealed record ConnectionTestResult(bool Succeeded, string? KubernetesVersion, string? Problem, TimeSpan Elapsed)
{
    public static ConnectionTestResult Success(string version, TimeSpan elapsed) => new(true, version, null, elapsed);

    public static ConnectionTestResult Failure(string problem, TimeSpan elapsed) => new(false, null, problem, elapsed);
}

/// <summary>Asks a cluster for <c>/version</c> the way the dashboard will talk to it later, and explains failures.</summary>
public static class ConnectionTester
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<ConnectionTestResult> TestAsync(Uri server, ClusterCredentials credentials, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var client = KubernetesClients.Create(server, credentials, Timeout + TimeSpan.FromSeconds(1));
            var version = await client.Version.GetCodeAsync(timeout.Token);
            return ConnectionTestResult.Success(version.GitVersion, clock.Elapsed);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Explain(ex, server) is { } problem)
        {
            return ConnectionTestResult.Failure(problem, clock.Elapsed);
        }
    }

    /// <summary>The cause of a failed call in words an operator acts on; null for exceptions that are bugs.</summary>
    public static string? Explain(Exception ex, Uri server)
    {
        var endpoint = $"{server.Host}:{server.Port}";
        if (ex is HttpOperationException http)
        {
            return http.Response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => "The API server refused these credentials (401 Unauthorized): the token or client certificate is wrong, expired or revoked.",
                HttpStatusCode.Forbidden => "The credentials are valid, but may not read the server's version (403 Forbidden); give this identity read access.",
                HttpStatusCode.NotFound => $"{server} answers, but is not a Kubernetes API server (404 on /version); check the URL and its path.",
                var status => $"The API server answered {(int)status} {status} to /version.",
            };
        }
        if (ex is OperationCanceledException or TimeoutException)
        {
            return $"The API server at {endpoint} did not answer within {Timeout.TotalSeconds:0} seconds.";
        }
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
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
            return server.Scheme == "https" && request.Message.Contains("SSL", StringComparison.OrdinalIgnoreCase)
                ? $"The TLS connection to {endpoint} failed: {request.Message}"
                : $"The request to {endpoint} failed: {request.Message}";
        }
        return null;
    }
}
