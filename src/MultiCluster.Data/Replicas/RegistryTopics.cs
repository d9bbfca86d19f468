using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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

    private const string RepairPrefix = "repair ";

    /// <summary>The payload that asks the leader to repair one target (a person asked a follower; only the leader writes).</summary>
    public static string Repair(RepairRequest request) => RepairPrefix + JsonSerializer.Serialize(request);

    /// <summary>The repair request a payload carries, or null when it is a topic.</summary>
    public static RepairRequest? RepairOf(string payload)
    {
        if (!payload.StartsWith(RepairPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<RepairRequest>(payload.AsSpan(RepairPrefix.Length));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Sends <paramref name="payload"/> to every replica's listener (on PostgreSQL; SQLite has one replica and nothing to tell).</summary>
    public static async Task NotifyAsync(DbContext db, string payload, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync(Notify(payload), cancellationToken);
        }
    }

    internal static FormattableString Notify(string payload) => $"SELECT pg_notify({Channel}, {payload})";

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

/// <summary>A person's request that one target's objects be written now (Repair), carried to the leader.</summary>
public sealed record RepairRequest(string OwnerKind, string Cluster, string Owner, string? Namespace);
