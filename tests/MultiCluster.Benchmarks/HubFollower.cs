using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;

namespace MultiCluster.Benchmarks;

/// <summary>A SignalR client on /hubs/fleet following clusters and pods, as another tool would.</summary>
internal sealed class HubFollower : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, string> _health = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Cluster, string Key), byte> _pods = new();
    private readonly ConcurrentDictionary<(string Cluster, string Key), long> _firstSeen = new();
    private Task _reading = Task.CompletedTask;
    private long _changes;
    private int _messages;
    private int _resyncs;

    private HubFollower(HubConnection connection) => _connection = connection;

    public int SyncedClusters => _health.Values.Count(h => h == "Synced");

    public int Pods => _pods.Count;

    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Fresh snapshots after the first: the store sends one to a subscriber that fell too far behind.</summary>
    public int Resyncs => Volatile.Read(ref _resyncs);

    /// <summary>When (Stopwatch ticks) the client first held this pod.</summary>
    public bool TryFirstSeen(string cluster, string key, out long ticks) => _firstSeen.TryGetValue((cluster, key), out ticks);

    public static async Task<HubFollower> StartAsync(Dashboard dashboard)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(dashboard.BaseUrl, "/hubs/fleet"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(dashboard.Token))
            .Build();
        connection.ServerTimeout = TimeSpan.FromMinutes(2);
        await connection.StartAsync();
        var follower = new HubFollower(connection);
        follower._reading = Task.Run(follower.ReadAsync);
        return follower;
    }

    private async Task ReadAsync()
    {
        await foreach (var message in _connection.StreamAsync<Message>("Subscribe", new { kinds = new[] { "clusters", "pods" } }, _stop.Token))
        {
            var now = Stopwatch.GetTimestamp();
            if (message.Reset)
            {
                if (_messages > 0)
                {
                    Interlocked.Increment(ref _resyncs);
                }
                _pods.Clear();
                _health.Clear();
            }
            _messages++;
            foreach (var change in message.Changes)
            {
                Interlocked.Increment(ref _changes);
                if (change.Kind == "clusters")
                {
                    if (change.Object is { } cluster)
                    {
                        _health[change.Cluster] = cluster.Health ?? "";
                    }
                    else
                    {
                        _health.TryRemove(change.Cluster, out _);
                    }
                }
                else if (change.Object is null)
                {
                    _pods.TryRemove((change.Cluster, change.Key), out _);
                }
                else
                {
                    _pods[(change.Cluster, change.Key)] = 0;
                    _firstSeen.TryAdd((change.Cluster, change.Key), now);
                }
            }
        }
    }

    public async Task WaitAsync(Func<HubFollower, bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(this))
        {
            if (_reading.IsFaulted)
            {
                throw new InvalidOperationException($"the hub subscription failed while waiting for {what}", _reading.Exception);
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds} s for {what}: {SyncedClusters} clusters Synced, {Pods:N0} pods held");
            }
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _connection.DisposeAsync();
        try
        {
            await _reading;
        }
        catch (Exception)
        {
            // Stopped on purpose.
        }
        _stop.Dispose();
    }

    private sealed record Message(bool Reset, List<Change> Changes);

    // Only a cluster's health is read. A pod's fields are skipped, not copied: this client runs on the cores it measures,
    // and kept each of thousands of changes a second as a JsonElement (a copy of the pod's JSON) before.
    private sealed record Change(string Kind, string Cluster, string Key, Body? Object);

    private sealed record Body(string? Health);
}
