using k8s;
using k8s.Autorest;

namespace MultiCluster.Kubernetes.Clients;

/// <summary>
/// KubernetesClient as every cluster connection uses it, with one difference: the response to a watch request
/// (<c>watch=true</c>) is handed back with its body unread, for <see cref="Informers.WatchEvents"/> to decode line by
/// line from the bytes, and so is an informer's list page, for <see cref="Informers.ListItems"/>. KubernetesClient's own
/// watch reads each event into a string and parses it twice; at thousands of events a second that was most of what
/// the dashboard allocated. Requests, credentials, TLS,
/// errors (<see cref="HttpOperationException"/>) and every other answer stay KubernetesClient's.
/// </summary>
public sealed class ClusterApiClient(KubernetesClientConfiguration configuration, params DelegatingHandler[] handlers)
    : k8s.Kubernetes(configuration, handlers)
{
    /// <summary>
    /// Set by <see cref="Informers.ListItems"/> around one list request, whose page it decodes object by object from the
    /// bytes rather than as one list object.
    /// </summary>
    internal static readonly AsyncLocal<bool> LeaveListUnread = new();

    protected override Task<HttpOperationResponse<T>> CreateResultAsync<T>(HttpRequestMessage httpRequest, HttpResponseMessage httpResponse, bool? watch,
        CancellationToken cancellationToken) =>
        watch == true || LeaveListUnread.Value
            ? Task.FromResult(new HttpOperationResponse<T> { Request = httpRequest, Response = httpResponse })
            : base.CreateResultAsync<T>(httpRequest, httpResponse, watch, cancellationToken);
}
