using System.Runtime.CompilerServices;
using System.Security.Claims;
using k8s;
using k8s.Models;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Access;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Fleet;

/// <summary>What to read of a pod's log: which container, its current or previous instance, how many lines, how many bytes at most.</summary>
public sealed record LogRequest(string Cluster, string Namespace, string Pod, string? Container, bool Previous, int? TailLines, long LimitBytes = LogRequest.ViewLimitBytes)
{
    /// <summary>What the page shows at most: a browser tab does not hold more usefully.</summary>
    public const long ViewLimitBytes = 4L * 1024 * 1024;
}

/// <summary>Why a pod or its log cannot be read, in words, and the HTTP status an endpoint answers with.</summary>
public sealed record PodReadProblem(string Message, int StatusCode)
{
    public static PodReadProblem NoCluster(string cluster) => new($"There is no cluster named '{cluster}' that you may see.", StatusCodes.Status404NotFound);
}

/// <summary>A followed log could not be opened; the message says why.</summary>
public sealed class PodReadException(PodReadProblem problem) : Exception(problem.Message)
{
    public PodReadProblem Problem => problem;
}

/// <summary>
/// Pods and their logs, read from the cluster on demand (the store keeps neither), for one person: as them
/// (<see cref="ClusterClients.OpenForAsync"/>), so the cluster's RBAC decides.
/// </summary>
public sealed class PodLogs(ClusterClients clients, ClusterVisibility visibility)
{
    public async Task<(V1Pod? Pod, PodReadProblem? Problem)> ReadPodAsync(ClaimsPrincipal user, string cluster, string ns, string name, CancellationToken cancellationToken = default)
    {
        var (client, opening) = await OpenForAsync(visibility.For(user), cluster, cancellationToken);
        if (client is null)
        {
            return (null, opening);
        }
        using var _ = client;
        try
        {
            return (await client.Kubernetes.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Explain(ex, client, $"reading pod {name} in {ns}") is { } problem)
        {
            return (null, problem);
        }
    }

    /// <summary>The log as text (at most <see cref="LogRequest.LimitBytes"/>), or the reason it cannot be read in plain words.</summary>
    public async Task<(string? Text, PodReadProblem? Problem)> ReadAsync(ClaimsPrincipal user, LogRequest request, CancellationToken cancellationToken = default)
    {
        var (stream, problem) = await OpenAsync(user, request, cancellationToken);
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
    public Task<(Stream? Stream, PodReadProblem? Problem)> OpenAsync(ClaimsPrincipal user, LogRequest request, CancellationToken cancellationToken = default) =>
        OpenAsync(user, request, follow: false, cancellationToken);

    /// <summary>Follows the log line by line until cancelled or the container stops.</summary>
    /// <exception cref="PodReadException">The log cannot be opened (refused, not found, unreachable).</exception>
    public async IAsyncEnumerable<string> FollowAsync(ClaimsPrincipal user, LogRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (stream, problem) = await OpenAsync(user, request, follow: true, cancellationToken);
        if (stream is null)
        {
            throw new PodReadException(problem!);
        }
        await using (stream)
        {
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                yield return line;
            }
        }
    }

    private async Task<(Stream? Stream, PodReadProblem? Problem)> OpenAsync(ClaimsPrincipal user, LogRequest request, bool follow, CancellationToken cancellationToken)
    {
        var person = visibility.For(user);
        if (!person.CanSee(request.Cluster))
        {
            return (null, PodReadProblem.NoCluster(request.Cluster));
        }
        if (person.Refusal(DashboardActions.ReadLogs, request.Cluster, "read logs") is { } refusal)
        {
            return (null, new PodReadProblem(refusal, StatusCodes.Status403Forbidden));
        }
        var (client, opening) = await OpenForAsync(person, request.Cluster, cancellationToken);
        if (client is null)
        {
            return (null, opening);
        }
        try
        {
            var stream = await client.Kubernetes.CoreV1.ReadNamespacedPodLogAsync(request.Pod, request.Namespace, container: request.Container, follow: follow ? true : null,
                previous: request.Previous, tailLines: request.TailLines, limitBytes: follow ? null : (int)Math.Min(request.LimitBytes, int.MaxValue), cancellationToken: cancellationToken);
            return (new OwnedStream(stream, client), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Explain(ex, client, $"reading logs in {request.Namespace}") is { } problem)
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

    /// <summary>The person's client, or why there is none (no such cluster; a name that cannot be sent as an impersonated identity).</summary>
    private async Task<(PersonClient? Client, PodReadProblem? Problem)> OpenForAsync(VisibleClusters person, string cluster, CancellationToken cancellationToken)
    {
        try
        {
            return await clients.OpenForAsync(person, cluster, cancellationToken) is { } client ? (client, null) : (null, PodReadProblem.NoCluster(cluster));
        }
        catch (ArgumentException ex)
        {
            return (null, new PodReadProblem($"The dashboard cannot act as you on {cluster}: {ex.Message}", StatusCodes.Status403Forbidden));
        }
    }

    /// <summary>A refusal in the words of the person's access (403), or what else went wrong (the cluster's fault or the way to it: 502).</summary>
    private static PodReadProblem? Explain(Exception ex, PersonClient client, string what) =>
        client.Refusal(ex, what) is { } refusal ? new(refusal, StatusCodes.Status403Forbidden)
        : (ex switch
        {
            k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.NotFound } => "Not found: the pod is gone, or has no such container.",
            k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.BadRequest } http => KubernetesStatus.MessageOf(http),
            _ => ConnectionTester.Explain(ex, client.Kubernetes.BaseUri),
        }) is { } message ? new(message, StatusCodes.Status502BadGateway) : null;
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
