using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Api;

/// <summary>A registered cluster as the API shows it. Credentials never appear here.</summary>
public sealed record ClusterResource(
    string Name,
    string DisplayName,
    string ApiServerUrl,
    IReadOnlyDictionary<string, string> Labels,
    string? KubernetesVersion,
    bool InsecureSkipTlsVerify,
    ConnectionTestResource? LastConnectionTest,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ClusterResource From(Cluster cluster) => new(
        cluster.Name,
        cluster.DisplayName,
        cluster.ApiServerUrl,
        cluster.Labels,
        cluster.KubernetesVersion,
        cluster.InsecureSkipTlsVerify,
        cluster.LastConnectionTestAt is { } at ? new ConnectionTestResource(at, cluster.LastConnectionProblem is null, cluster.LastConnectionProblem) : null,
        cluster.CreatedAt,
        cluster.UpdatedAt);
}

public sealed record ConnectionTestResource(DateTimeOffset At, bool Succeeded, string? Problem);

/// <summary>
/// Register by kubeconfig (<see cref="Kubeconfig"/> and the <see cref="Contexts"/> to take, default: the current
/// context) or by URL and token (<see cref="Name"/>, <see cref="Server"/>, <see cref="Token"/>, optional CA).
/// </summary>
public sealed record RegisterClustersRequest
{
    public string? Kubeconfig { get; init; }

    public IReadOnlyList<KubeconfigContextSelection>? Contexts { get; init; }

    public string? Name { get; init; }

    public string? DisplayName { get; init; }

    public string? Server { get; init; }

    public string? Token { get; init; }

    public string? CertificateAuthority { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

/// <summary>A context of the kubeconfig to register, and the cluster name to give it (default: derived from the context).</summary>
public sealed record KubeconfigContextSelection(string Context, string? Name);

public sealed record UpdateClusterRequest(string? DisplayName, IReadOnlyDictionary<string, string>? Labels);

public sealed record ClusterList(IReadOnlyList<ClusterResource> Clusters);

public sealed record ConnectionTestResponse(bool Succeeded, string? KubernetesVersion, string? Problem, double ElapsedMilliseconds, string? Warning);

public sealed record AuditEntryResource(DateTimeOffset Time, string Actor, string Action, string Target, string Outcome, string? Detail);

public sealed record AuditList(int Total, IReadOnlyList<AuditEntryResource> Entries);
