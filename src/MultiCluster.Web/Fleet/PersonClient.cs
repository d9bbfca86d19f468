using System.Net;
using k8s.Autorest;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Access;

namespace MultiCluster.Web.Fleet;

/// <summary>A client opened for one person on one cluster, and the words for what the cluster refuses them.</summary>
public sealed class PersonClient(k8s.Kubernetes client, VisibleClusters person, string cluster) : IDisposable
{
    public k8s.Kubernetes Kubernetes => client;

    /// <summary>
    /// For a 403, the sentence of the person's access (<paramref name="what"/> is "reading logs in team-b"), then the
    /// cluster's own words; null for anything else.
    /// </summary>
    public string? Refusal(Exception ex, string what)
    {
        if (ex is not HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden } http)
        {
            return null;
        }
        var words = KubernetesStatus.MessageOf(http);
        var sentence = person.Cluster(cluster) is { } summary
            ? person.Person.Refusal(FleetFacts.Of(summary), what)
            : $"Your access to {cluster} does not allow {what}.";
        return $"{sentence} The cluster said: {words}";
    }

    public void Dispose() => client.Dispose();
}
