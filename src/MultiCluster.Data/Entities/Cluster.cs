namespace MultiCluster.Data.Entities;

/// <summary>A registered Kubernetes cluster. Credentials are stored separately, encrypted.</summary>
public sealed class Cluster : ITimestamped
{
    public Guid Id { get; set; }

    /// <summary>Unique registry name, used in routes and kubeconfig contexts (see <see cref="Core.ClusterName"/>).</summary>
    public required string Name { get; set; }

    public string DisplayName { get; set; } = "";

    public required string ApiServerUrl { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>TLS verification is off for this cluster (an Administrator's explicit choice); shown as a warning.</summary>
    public bool InsecureSkipTlsVerify { get; set; }

    /// <summary>The version the last successful connection test reported (for example v1.31.2).</summary>
    public string? KubernetesVersion { get; set; }

    public DateTimeOffset? LastConnectionTestAt { get; set; }

    /// <summary>Why the last connection test failed, in plain words; null when it succeeded.</summary>
    public string? LastConnectionProblem { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
