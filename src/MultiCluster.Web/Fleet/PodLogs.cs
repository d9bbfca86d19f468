using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using MultiCluster.Kubernetes.Clients;

namespace MultiCluster.Web.Fleet;

/// <summary>What to read of a pod's log: which container, its current or previous instance, how many lines.</summary>
public sealed record LogRequest(string Cluster, string Namespace, string Pod, string? Container, bool Previous, int? TailLines);

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

    /// <summary>The log as text, or the reason it cannot be read in plain words.</summary>
    public async Task<(string? Text, string? Problem)> ReadAsync(LogRequest request, CancellationToken cancellationToken = default)
    {
        using var client = await clients.OpenAsync(request.Cluster, cancellationToken);
        if (client is null)
        {
            return (null, $"No cluster is named '{request.Cluster}'.");
        }
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(request.Pod, request.Namespace, container: request.Container,
                previous: request.Previous, tailLines: request.TailLines, cancellationToken: cancellationToken);
            using var reader = new StreamReader(stream);
            return (await reader.ReadToEndAsync(cancellationToken), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Explain(ex, client) is { } problem)
        {
            return (null, problem);
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
        k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.BadRequest } http => PlainStatus(http.Response.Content),
        _ => ConnectionTester.Explain(ex, client.BaseUri),
    };

    private static string PlainStatus(string? content)
    {
        try
        {
            return content is null ? "The API server refused the request." : KubernetesJson.Deserialize<V1Status>(content).Message ?? content;
        }
        catch (System.Text.Json.JsonException)
        {
            return content ?? "The API server refused the request.";
        }
    }
}
