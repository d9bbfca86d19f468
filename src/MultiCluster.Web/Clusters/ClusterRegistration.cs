using MultiCluster.Core;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Clusters;

/// <summary>What a user asks to register: a name, how to reach the cluster, and labels.</summary>
public sealed record ClusterRegistration(
    string Name,
    string? DisplayName,
    Uri? Server,
    ClusterCredentials? Credentials,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>The outcome for one requested cluster: registered (with its version), or the reason in plain words; and what its connection test warned of.</summary>
public sealed record ClusterRegistrationResult(string Name, Cluster? Cluster, string? Problem, string? Warning = null)
{
    public bool Succeeded => Cluster is not null;
}

/// <summary>A batch registers whole or not at all: if one cluster fails, none is saved.</summary>
public sealed record RegistrationOutcome(IReadOnlyList<ClusterRegistrationResult> Results)
{
    public bool Succeeded => Results.Count > 0 && Results.All(r => r.Succeeded);
}
