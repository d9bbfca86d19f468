using System.Net;
using System.Net.Sockets;

namespace MultiCluster.Kubernetes.Clients;

/// <summary>
/// Opens every connection to an API server: resolves the host once, refuses it if any of its addresses is one
/// <see cref="AddressPolicy"/> refuses, and connects to a checked address itself, so a name that resolves
/// elsewhere a moment later (DNS rebinding) cannot slip past the check. TLS still validates the host name.
/// </summary>
/// <param name="resolve">Host name to addresses; tests give their own so no lookup leaves the machine.</param>
/// <param name="connect">Opens the socket; tests give one that fails if anything tries to connect.</param>
public sealed class AddressGuard(
    ClusterAddressOptions options,
    Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null,
    Func<IPEndPoint, CancellationToken, ValueTask<Stream>>? connect = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;
    private readonly Func<IPEndPoint, CancellationToken, ValueTask<Stream>> _connect = connect ?? OpenSocketAsync;

    /// <summary>The guard with the policy every deployment gets: metadata, link-local and the like refused, private ranges allowed.</summary>
    public static AddressGuard Default { get; } = new(new ClusterAddressOptions());

    /// <summary>
    /// The addresses of <paramref name="host"/>, all of them allowed. One refused address refuses the name: a name
    /// that also leads to a metadata or link-local address is misconfigured or hostile, and which address a
    /// connection would take should not decide whether the test passes.
    /// </summary>
    /// <exception cref="AddressRefusedException">The host is, or resolves to, an address the policy refuses.</exception>
    public async Task<IPAddress[]> CheckAsync(string host, CancellationToken cancellationToken = default)
    {
        if (IPAddress.TryParse(host.TrimStart('[').TrimEnd(']', '.'), out var literal))
        {
            return AddressPolicy.Refusal(literal, options) is { } why
                ? throw new AddressRefusedException($"The dashboard does not connect to {host}: it is {why}.")
                : [literal];
        }
        var addresses = await _resolve(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }
        foreach (var address in addresses)
        {
            if (AddressPolicy.Refusal(address, options) is { } why)
            {
                // The address itself stays out of the message: what an internal name resolves to is not the caller's to learn.
                throw new AddressRefusedException($"The dashboard does not connect to {host}: the name resolves to {why}.");
            }
        }
        return addresses;
    }

    /// <summary>Makes <paramref name="handler"/> open its connections through this guard.</summary>
    public void Apply(SocketsHttpHandler handler)
    {
        handler.ConnectCallback = ConnectAsync;
        // Through a proxy, the proxy would resolve and connect, past the check; the dashboard supports no proxies anyway.
        handler.UseProxy = false;
        // A redirect is a request to somewhere the registration did not name.
        handler.AllowAutoRedirect = false;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await CheckAsync(context.DnsEndPoint.Host, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return await _connect(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
            }
            catch (SocketException ex)
            {
                last = ex;
            }
        }
        throw last!;
    }

    /// <summary>The plain connect, once the address is checked (and what a test's hook calls for the loopback it allows).</summary>
    public static async ValueTask<Stream> OpenSocketAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The API server's address is one the dashboard does not connect to; the message says why, in plain words.</summary>
public sealed class AddressRefusedException(string message) : IOException(message);
