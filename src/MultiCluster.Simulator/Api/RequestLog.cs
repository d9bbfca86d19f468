using System.Collections.Concurrent;

namespace MultiCluster.Simulator.Api;

/// <summary>One request as the cluster's audit log would record it: who (after impersonation), what, the answer, and the client's User-Agent.</summary>
public sealed record RequestRecord(
    DateTimeOffset Time,
    string? User,
    IReadOnlyList<string> Groups,
    string? ImpersonatedBy,
    string Method,
    string Path,
    int StatusCode,
    string? UserAgent = null);

/// <summary>The most recent requests a cluster served, so tests can check what a client really sent (and as whom).</summary>
public sealed class RequestLog(int capacity = 2000)
{
    private readonly ConcurrentQueue<RequestRecord> _records = new();

    public IReadOnlyList<RequestRecord> Recent => [.. _records];

    public void Clear() => _records.Clear();

    internal void Record(RequestRecord record)
    {
        _records.Enqueue(record);
        while (_records.Count > capacity && _records.TryDequeue(out _))
        {
        }
    }
}
