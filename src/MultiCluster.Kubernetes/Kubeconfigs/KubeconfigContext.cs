using MultiCluster.Core;

namespace MultiCluster.Kubernetes.Kubeconfigs;

/// <summary>
/// One context of an uploaded kubeconfig, resolved to its server and credentials. A context the dashboard
/// cannot use carries a <see cref="Problem"/> in plain words and no credentials.
/// </summary>
public sealed record KubeconfigContext(
    string Name,
    string ClusterName,
    string UserName,
    Uri? Server,
    string? Namespace,
    ClusterCredentials? Credentials,
    string? Problem)
{
    public bool IsUsable => Problem is null && Server is not null && Credentials is not null;
}

/// <summary>The contexts of a kubeconfig, or why the whole document cannot be read.</summary>
public sealed record KubeconfigReadResult(IReadOnlyList<KubeconfigContext> Contexts, string? CurrentContext, string? Error)
{
    public static KubeconfigReadResult Failed(string error) => new([], null, error);

    public bool Succeeded => Error is null;
}
