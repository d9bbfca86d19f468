using System.Diagnostics;

namespace MultiCluster.Kubernetes.Clients;

/// <summary>
/// One client activity per request to a cluster's API server (<see cref="KubernetesTelemetry.Source"/>), named by the
/// method, with the cluster, the server and the answer's status. A watch's activity ends when its stream opens.
/// </summary>
internal sealed class ClusterRequestTracing(string? cluster) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var activity = KubernetesTelemetry.Source.StartActivity($"kubernetes {request.Method.Method}", ActivityKind.Client);
        if (activity is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }
        activity.SetTag("multicluster.cluster", cluster);
        activity.SetTag("http.request.method", request.Method.Method);
        activity.SetTag("server.address", request.RequestUri?.Host);
        activity.SetTag("server.port", request.RequestUri?.Port);
        activity.SetTag("url.path", request.RequestUri?.AbsolutePath);
        activity.SetTag("multicluster.watch", request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            activity.SetTag("http.response.status_code", (int)response.StatusCode);
            if ((int)response.StatusCode >= 500)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
            return response;
        }
        catch (Exception ex)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }
}
