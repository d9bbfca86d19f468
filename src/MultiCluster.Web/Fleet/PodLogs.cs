using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using MultiCluster.Kubernetes.Clients;

namespace MultiCluster.Web.Fleet;

/// <summary>What to read of a pod's log: which container, its current or previous instance, how many lines, how many bytes at most.</summary>
public sealed record LogRequest(string Cluster, string Namespace, string Pod, string? Container, bool Previous, int? TailLines, long LimitBytes = LogRequest.ViewLimitBytes)
{
    /// <summary>What the page shows at most: a browser tab does not hold more usefully.</summary>
    public const long ViewLimitBytes = 4L * 1024 * 1024;
}

/// <summary>Pods and their logs, read from the cluster on demand (the store keeps neither).</summary>
public sealed class PodLogs(ClusterClients clients)
{
    public async Task<(V1Pod? Pod, string? Problem)> ReadPodAsync(string cluster, string ns, string name, CancellationToken cancellationToken = default)
    {
        using var client = await clients.OpenAsync(cluster, cancellationToken);
        if (client is null)
        {
            return (null, $"No cluster is named '{cluster}'.");
        }
        try
        {
            return (await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Explain(ex, client) is { } problem)
        {
            return (null, problem);
        }
    }

    /// <summary>The log as text (at most <see cref="LogRequest.LimitBytes"/>), or the reason it cannot be read in plain words.</summary>
    public async Task<(string? Text, string? Problem)> ReadAsync(LogRequest request, CancellationToken cancellationToken = default)
    {
        var (stream, problem) = await OpenAsync(request, cancellationToken);
        if (stream is null)
        {
            return (null, problem);
        }
        await using (stream)
        {
            using var text = new MemoryStream();
            await LimitedCopy.CopyAsync(stream, text, request.LimitBytes, cancellationToken);
            return (System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length), null);
        }
    }

    /// <summary>
    /// The log as a stream the caller disposes, or the reason it cannot be read. The cluster is asked for at most
    /// <see cref="LogRequest.LimitBytes"/>; callers still cut there, since a cluster may send more.
    /// </summary>
    public async Task<(Stream? Stream, string? Problem)> OpenAsync(LogRequest request, CancellationToken cancellationToken = default)
    {
        var client = await clients.OpenAsync(request.Cluster, cancellationToken);
        if (client is null)
        {
            return (null, $"No cluster is named '{request.Cluster}'.");
        }
        try
        {
            var stream = await client.CoreV1.ReadNamespacedPodLogAsync(request.Pod, request.Namespace, container: request.Container,
                previous: request.Previous, tailLines: request.TailLines, limitBytes: (int)Math.Min(request.LimitBytes, int.MaxValue), cancellationToken: cancellationToken);
            return (new OwnedStream(stream, client), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Explain(ex, client) is { } problem)
        {
            client.Dispose();
            return (null, problem);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Follows the log line by line until cancelled or the container stops.</summary>
    public async IAsyncEnumerable<string> FollowAsync(LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var client = await clients.OpenAsync(request.Cluster, cancellationToken);
        if (client is null)
        {
            yield break;
        }
        using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(request.Pod, request.Namespace, container: request.Container,
            follow: true, tailLines: request.TailLines, cancellationToken: cancellationToken);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            yield return line;
        }
    }

    private static string? Explain(Exception ex, k8s.Kubernetes client) => ex switch
    {
        k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.NotFound } => "Not found: the pod is gone, or has no such container.",
        k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.BadRequest } http => MultiCluster.Kubernetes.Reconcile.KubernetesStatus.MessageOf(http),
        _ => ConnectionTester.Explain(ex, client.BaseUri),
    };
}

/// <summary>A response stream that disposes the client it came from with it.</summary>
internal sealed class OwnedStream(Stream inner, IDisposable owner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner.Dispose();
        }
        base.Dispose(disposing);
    }
}
