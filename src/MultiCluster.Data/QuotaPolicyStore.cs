using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data;

/// <summary>What a save did: the policy as stored, or why nothing was stored (problems in plain words, overlaps listed).</summary>
public sealed record QuotaPolicySaveResult(QuotaPolicy? Policy, IReadOnlyList<string> Problems, IReadOnlyList<QuotaOverlap> Overlaps)
{
    public bool Saved => Policy is not null;
}

/// <summary>
/// Quota policies in the registry: saved whole with their audit entry in one transaction, refused when invalid, when
/// another save came in between (the generation moved), or when they would write a namespace another policy of the
/// same priority writes.
/// </summary>
public sealed class QuotaPolicyStore(IDbContextFactory<RegistryDbContext> factory, AuditLog audit)
{
    public const string CreateAction = "quota-policy.create";
    public const string UpdateAction = "quota-policy.update";
    public const string DeleteAction = "quota-policy.delete";

    /// <summary>How many overlapping namespaces a refusal names; the count says the rest.</summary>
    private const int OverlapsNamed = 10;

    public async Task<IReadOnlyList<QuotaPolicy>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var records = await db.QuotaPolicies.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return [.. records.Select(ToPolicy)];
    }

    public async Task<QuotaPolicy?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.QuotaPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.Name == name, cancellationToken) is { } record ? ToPolicy(record) : null;
    }

    /// <summary>
    /// Creates <paramref name="policy"/> (<paramref name="expectedGeneration"/> null) or updates it from the generation
    /// the editor started with; the stored generation grows by one. <paramref name="clusters"/> and
    /// <paramref name="namespaces"/> are the fleet as it is, for the overlap check.
    /// </summary>
    public async Task<QuotaPolicySaveResult> SaveAsync(string actor, QuotaPolicy policy, long? expectedGeneration,
        IReadOnlyList<ClusterFacts> clusters, IReadOnlyList<NamespaceFacts> namespaces, CancellationToken cancellationToken = default)
    {
        if (QuotaPolicyValidation.Validate(policy) is { Count: > 0 } problems)
        {
            return new QuotaPolicySaveResult(null, problems, []);
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var records = await db.QuotaPolicies.ToListAsync(cancellationToken);
        var existing = records.SingleOrDefault(r => r.Name == policy.Name);
        if (expectedGeneration is null && existing is not null)
        {
            return Refused($"A policy named '{policy.Name}' exists already; edit it instead.");
        }
        if (expectedGeneration is { } expected && (existing is null || existing.Generation != expected))
        {
            return Refused(existing is null
                ? $"The policy '{policy.Name}' was deleted meanwhile."
                : $"The policy '{policy.Name}' was changed by someone else meanwhile (now generation {existing.Generation}); reload it and make your change again.");
        }
        var overlaps = QuotaPlanner.Overlaps(policy, records.Where(r => r != existing).Select(ToPolicy), clusters, namespaces);
        if (overlaps.Count > 0)
        {
            var named = string.Join(", ", overlaps.Take(OverlapsNamed).Select(o => $"{o.Cluster}/{o.Namespace} ({o.OtherPolicy})"));
            var more = overlaps.Count > OverlapsNamed ? $" and {overlaps.Count - OverlapsNamed} more" : "";
            return new QuotaPolicySaveResult(null,
                [$"{overlaps.Count} namespace(s) are written by another policy of the same priority ({policy.Priority}): {named}{more}. Narrow the selectors, or give one policy a higher priority."],
                overlaps);
        }
        var stored = policy with { Generation = (existing?.Generation ?? 0) + 1 };
        var record = existing ?? new QuotaPolicyRecord { Id = Guid.NewGuid(), Name = policy.Name, Mode = "", Spec = "" };
        (record.Description, record.Mode, record.Priority, record.Generation, record.Spec) =
            (policy.Description, policy.Mode.ToString(), policy.Priority, stored.Generation, JsonSerializer.Serialize(QuotaPolicySpec.Of(policy)));
        if (existing is null)
        {
            db.QuotaPolicies.Add(record);
        }
        audit.Add(db, actor, existing is null ? CreateAction : UpdateAction, Target(policy.Name), AuditOutcome.Succeeded, $"generation {stored.Generation}: {Describe(stored)}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique name or the generation decided between two saves at once: this one lost, nothing is kept.
            return Refused($"The policy '{policy.Name}' was saved by someone else at the same moment; reload it and try again.");
        }
        return new QuotaPolicySaveResult(stored, [], []);
    }

    /// <summary>Deletes the policy (its objects leave the clusters with it); false when there is none of that name.</summary>
    public async Task<bool> DeleteAsync(string actor, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await db.QuotaPolicies.SingleOrDefaultAsync(p => p.Name == name, cancellationToken);
        if (record is null)
        {
            return false;
        }
        db.QuotaPolicies.Remove(record);
        audit.Add(db, actor, DeleteAction, Target(name), AuditOutcome.Succeeded, $"generation {record.Generation}: {Describe(ToPolicy(record))}");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public static string Target(string policy) => $"quota-policy/{policy}";

    /// <summary>The policy in one line for the audit log: mode, what it selects, what it writes.</summary>
    public static string Describe(QuotaPolicy policy)
    {
        static string Map(IReadOnlyDictionary<string, string> values) => string.Join(", ", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));
        var parts = new List<string> { policy.Mode.ToString(), $"priority {policy.Priority}", $"clusters: {policy.ClustersText}", $"namespaces: {policy.NamespacesText}" };
        if (policy.Hard.Count > 0)
        {
            parts.Add($"hard {Map(policy.Hard)}" + (policy.Scopes.Count > 0 ? $" (scopes {string.Join(", ", policy.Scopes)})" : ""));
        }
        foreach (var item in policy.Limits)
        {
            var fields = item.Fields.Where(f => f.Values.Count > 0).Select(f => $"{f.Name} {Map(f.Values)}");
            parts.Add($"{item.Type} {string.Join("; ", fields)}");
        }
        return string.Join("; ", parts);
    }

    private static QuotaPolicySaveResult Refused(string problem) => new(null, [problem], []);

    private static QuotaPolicy ToPolicy(QuotaPolicyRecord record)
    {
        var spec = JsonSerializer.Deserialize<QuotaPolicySpec>(record.Spec) ?? new QuotaPolicySpec();
        return new QuotaPolicy
        {
            Name = record.Name,
            Description = record.Description,
            Mode = Enum.TryParse<PolicyMode>(record.Mode, out var mode) ? mode : PolicyMode.Inform,
            Priority = record.Priority,
            Generation = record.Generation,
            ClusterSelector = spec.ClusterSelector,
            Clusters = spec.Clusters,
            NamespaceSelector = spec.NamespaceSelector,
            NamespacePatterns = spec.NamespacePatterns,
            Hard = spec.Hard,
            Scopes = spec.Scopes,
            Limits = spec.Limits,
        };
    }

    /// <summary>The JSON document of <see cref="QuotaPolicyRecord.Spec"/>.</summary>
    private sealed record QuotaPolicySpec
    {
        public string? ClusterSelector { get; init; }

        public IReadOnlyList<string> Clusters { get; init; } = [];

        public string? NamespaceSelector { get; init; }

        public IReadOnlyList<string> NamespacePatterns { get; init; } = [];

        public IReadOnlyDictionary<string, string> Hard { get; init; } = new Dictionary<string, string>();

        public IReadOnlyList<string> Scopes { get; init; } = [];

        public IReadOnlyList<LimitRangeItem> Limits { get; init; } = [];

        public static QuotaPolicySpec Of(QuotaPolicy policy) => new()
        {
            ClusterSelector = policy.ClusterSelector,
            Clusters = policy.Clusters,
            NamespaceSelector = policy.NamespaceSelector,
            NamespacePatterns = policy.NamespacePatterns,
            Hard = policy.Hard,
            Scopes = policy.Scopes,
            Limits = policy.Limits,
        };
    }
}
