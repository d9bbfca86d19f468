using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MultiCluster.Kubernetes.Clients;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>
/// An <see cref="AddressGuard"/> whose way to the network is the test's: names resolve from a table the test
/// fills (a lookup is a packet too), and a socket opens only to loopback, and only when the test allows it.
/// Every lookup and every attempt to connect is recorded, so a test can show that nothing left the machine.
/// </summary>
public sealed class NetworkHooks
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<IPAddress[]>> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _lookups = new();
    private readonly ConcurrentQueue<IPEndPoint> _connects = new();

    /// <summary>Whether a connection to a loopback address really opens; anything else always fails.</summary>
    public bool AllowLoopback { get; init; }

    public IReadOnlyCollection<string> Lookups => _lookups;

    public IReadOnlyCollection<IPEndPoint> Connects => _connects;

    /// <summary>The next answer for <paramref name="host"/>; the last answer given goes on being the answer.</summary>
    public NetworkHooks Resolve(string host, params IPAddress[] addresses)
    {
        _names.GetOrAdd(host, _ => new()).Enqueue(addresses);
        return this;
    }

    public AddressGuard Guard(ClusterAddressOptions? options = null) => new(options ?? new ClusterAddressOptions(), ResolveAsync, ConnectAsync);

    private Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        _lookups.Enqueue(host);
        if (!_names.TryGetValue(host, out var answers) || !answers.TryPeek(out var answer))
        {
            return Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
        }
        if (answers.Count > 1)
        {
            answers.TryDequeue(out _);
        }
        return Task.FromResult(answer);
    }

    private async ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        _connects.Enqueue(endpoint);
        if (!AllowLoopback || !IPAddress.IsLoopback(endpoint.Address))
        {
            throw new InvalidOperationException($"The test tried to open a socket to {endpoint}.");
        }
        return await AddressGuard.OpenSocketAsync(endpoint, cancellationToken);
    }
}
