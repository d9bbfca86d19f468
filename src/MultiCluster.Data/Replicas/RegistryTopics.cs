using Microsoft.AspNetCore.Identity;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Replicas;

/// <summary>
/// What other replicas must learn of when it changes in the registry, one topic per thing they re-read, sent as the payload
/// of a PostgreSQL NOTIFY on <see cref="Channel"/>.
/// </summary>
public static class RegistryTopics
{
    /// <summary>The one channel every replica listens on.</summary>
    public const string Channel = "multicluster_registry";

    public const string Clusters = "clusters";
    public const string Acknowledgements = "acknowledgements";
    public const string QuotaPolicies = "quota-policies";
    public const string Access = "access";
    public const string VirtualClusterIsolations = "vcluster-isolations";
    public const string Users = "users";

    public static IReadOnlyList<string> All { get; } = [Clusters, Acknowledgements, QuotaPolicies, Access, VirtualClusterIsolations, Users];

    /// <summary>The topic a change of an entity of <paramref name="entity"/>'s type concerns; null for what no replica keeps (audit entries, keys).</summary>
    public static string? Of(Type entity) => entity switch
    {
        _ when entity == typeof(Cluster) || entity == typeof(ClusterCredential) => Clusters,
        _ when entity == typeof(ProblemAcknowledgement) => Acknowledgements,
        _ when entity == typeof(QuotaPolicyRecord) => QuotaPolicies,
        _ when typeof(AccessRecord).IsAssignableFrom(entity) => Access,
        _ when entity == typeof(VirtualClusterIsolationRecord) => VirtualClusterIsolations,
        _ when entity == typeof(DashboardUser) || entity == typeof(PersonalAccessToken) || entity == typeof(IdentityUserRole<string>) => Users,
        _ => null,
    };
}
