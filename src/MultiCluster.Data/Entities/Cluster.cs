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

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
