using System.Threading.Channels;

namespace MultiCluster.Simulator.Store;

/// <summary>
/// One open watch: the store pushes matching changes into a bounded channel; a watcher that falls
/// too far behind is closed, as kube-apiserver closes slow watchers, and must resume or relist.
/// </summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly Channel<WatchEvent> _channel;
    private readonly Action<WatchSubscription> _unsubscribe;

    internal WatchSubscription(ResourceType? type, string? ns, int capacity, Action<WatchSubscription> unsubscribe)
    {
        Type = type;
        Namespace = ns;
        _unsubscribe = unsubscribe;
        _channel = capacity > 0
            ? Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait })
            : Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    }

    public ResourceType? Type { get; }

    public string? Namespace { get; }

    /// <summary>Changes from the requested resourceVersion up to the moment of subscribing.</summary>
    public IReadOnlyList<WatchEvent> Backlog { get; internal set; } = [];

    public ChannelReader<WatchEvent> Events => _channel.Reader;

    internal bool Wants(WatchEvent change) =>
        (Type is null || change.Object.Type == Type) &&
        (Namespace is null || change.Object.Namespace == Namespace);

    internal void Offer(WatchEvent change)
    {
        if (!_channel.Writer.TryWrite(change))
        {
            Close();
        }
    }

    /// <summary>Ends the stream; the client sees its watch close and must re-establish it.</summary>
    public void Close() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        Close();
        _unsubscribe(this);
    }
}
