using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data;

/// <summary>Why a change to teams, grants or role templates was not made; the API answers 400, 403, 404 or 409 by it.</summary>
public enum AccessRefusal
{
    Invalid,
    Forbidden,
    NotFound,
    Conflict,
}

/// <summary>What a save did: the record as stored, or why nothing was stored, in plain words, and what kind of refusal it was.</summary>
public sealed record AccessSaveResult<T>(T? Saved, IReadOnlyList<string> Problems, AccessRefusal Refusal = AccessRefusal.Invalid) where T : class;

/// <summary>A delete or repair that was not done: why, in plain words, and what kind of refusal it was.</summary>
public sealed record AccessProblem(string Message, AccessRefusal Refusal)
{
    public override string ToString() => Message;
}

/// <summary>
/// Teams, access grants and role templates in the registry: each saved whole with its audit entry in one transaction,
/// refused when invalid, when another save came in between (the generation moved), and, for a grant, when it goes beyond
/// its team's ceiling or writes a binding another grant writes (the refusal is audited too).
/// </summary>
public sealed class AccessStore(IDbContextFactory<RegistryDbContext> factory, AuditLog audit)
{
    public const string TeamActions = "team.";
    public const string GrantActions = "grant.";
    public const string TemplateActions = "role-template.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<Team>> ListTeamsAsync(CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(db => db.Teams, cancellationToken)).Select(r => Read<Team>(r) with { Name = r.Name, Generation = r.Generation })];

    public async Task<IReadOnlyList<AccessGrant>> ListGrantsAsync(CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(db => db.AccessGrants, cancellationToken)).Select(r => Read<AccessGrant>(r) with { Name = r.Name, Team = r.Team, Generation = r.Generation })];

    public async Task<IReadOnlyList<RoleTemplate>> ListTemplatesAsync(CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(db => db.RoleTemplates, cancellationToken)).Select(r => Read<RoleTemplate>(r) with { Name = r.Name, Generation = r.Generation })];

    public Task<AccessSaveResult<Team>> SaveTeamAsync(string actor, Team team, long? expectedGeneration, CancellationToken cancellationToken = default) =>
        SaveAsync(actor, db => db.Teams, "team", TeamActions, team.Name, expectedGeneration, AccessValidation.Validate(team),
            generation => team with { Generation = generation }, t => new TeamRecord { Name = t.Name, Spec = "" }, (_, _) => Task.FromResult<IReadOnlyList<string>>([]),
            t => $"{t.Members.Count} members ({string.Join(", ", t.Members.Select(m => $"{m.Kind.ToString().ToLowerInvariant()} {m.Name}{(m.IsAdmin ? " (admin)" : "")}"))}); "
                + $"{t.DashboardRole} on its clusters; ceiling: clusters {t.Ceiling.Scope.ClustersText}, namespaces {string.Join(", ", t.Ceiling.NamespacePatterns.DefaultIfEmpty("none"))}, "
                + $"roles {string.Join(", ", t.Ceiling.Roles.DefaultIfEmpty("none"))}{(t.Ceiling.AllowClusterWide ? ", cluster-wide allowed" : "")}",
            cancellationToken);

    /// <param name="clusters">The fleet as it is, for the ceiling and the overlap checks.</param>
    /// <param name="nameable">The clusters a refusal may name (those the person sees); null for all.</param>
    public Task<AccessSaveResult<AccessGrant>> SaveGrantAsync(string actor, AccessGrant grant, long? expectedGeneration, IReadOnlyList<ClusterFacts> clusters,
        IReadOnlyList<NamespaceFacts> namespaces, CancellationToken cancellationToken = default, Func<string, bool>? nameable = null) =>
        SaveAsync(actor, db => db.AccessGrants, "grant", GrantActions, grant.Name, expectedGeneration, [],
            generation => grant with { Generation = generation }, g => new AccessGrantRecord { Name = g.Name, Team = g.Team, Spec = "" },
            async (db, ct) =>
            {
                var templates = await db.RoleTemplates.AsNoTracking().Select(t => t.Name).ToListAsync(ct);
                if (AccessValidation.Validate(grant, templates) is { Count: > 0 } invalid)
                {
                    return invalid;
                }
                var teamRecord = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Name == grant.Team, ct);
                if (teamRecord is null)
                {
                    return [$"There is no team named '{grant.Team}'."];
                }
                var team = Read<Team>(teamRecord) with { Name = teamRecord.Name };
                if (AccessValidation.BeyondCeiling(grant, team, clusters, nameable) is { Count: > 0 } beyond)
                {
                    return beyond;
                }
                // mc-<team>-<role> of team a with template b-view is mc-a-b-view, as is team a-b's view: one would knock the other out.
                var clash = (await db.AccessGrants.AsNoTracking().Where(g => g.Team != grant.Team).ToListAsync(ct))
                    .Select(r => Read<AccessGrant>(r) with { Name = r.Name, Team = r.Team }).FirstOrDefault(g => g.BindingName == grant.BindingName);
                if (clash is not null)
                {
                    return [$"Grant '{clash.Name}' of team {clash.Team} is written as binding {clash.BindingName} too, and two teams' bindings cannot share a name: use a role template of another name."];
                }
                var others = (await db.AccessGrants.AsNoTracking().Where(g => g.Team == grant.Team && g.Name != grant.Name).ToListAsync(ct))
                    .Select(r => Read<AccessGrant>(r) with { Name = r.Name, Team = r.Team });
                var overlaps = AccessPlanner.Overlaps(grant, others, [team], clusters, namespaces);
                return overlaps.Count == 0 ? [] :
                    [$"Grant '{overlaps[0].OtherGrant}' already binds team {grant.Team} as {grant.Role} in {string.Join(", ", overlaps.Take(5).Select(o => o.Namespace is null ? o.Cluster : $"{o.Cluster}/{o.Namespace}"))}{(overlaps.Count > 5 ? $" and {overlaps.Count - 5} more" : "")}: change that grant instead."];
            },
            g => $"team {g.Team} as {g.Role} in clusters {g.Scope.ClustersText}, {(g.ClusterWide ? "cluster-wide" : $"namespaces {g.Scope.NamespacesText}")}"
                + $"{(g.Users.Count > 0 ? $", and users {string.Join(", ", g.Users)}" : "")}; {g.Mode}",
            cancellationToken);

    public Task<AccessSaveResult<RoleTemplate>> SaveTemplateAsync(string actor, RoleTemplate template, long? expectedGeneration, CancellationToken cancellationToken = default) =>
        SaveAsync(actor, db => db.RoleTemplates, "role template", TemplateActions, template.Name, expectedGeneration, AccessValidation.Validate(template),
            generation => template with { Generation = generation }, t => new RoleTemplateRecord { Name = t.Name, Spec = "" }, (_, _) => Task.FromResult<IReadOnlyList<string>>([]),
            t => string.Join("; ", t.Rules.Select(r => r.Canonical)), cancellationToken);

    /// <summary>Deletes a team; refused (null returned is success) while grants of it exist.</summary>
    public Task<AccessProblem?> DeleteTeamAsync(string actor, string name, CancellationToken cancellationToken = default) =>
        DeleteAsync(actor, db => db.Teams, "team", TeamActions, name,
            async (db, ct) => await db.AccessGrants.CountAsync(g => g.Team == name, ct) is var grants and > 0 ? $"Team '{name}' still has {grants} grant(s); delete them first." : null,
            cancellationToken);

    public Task<AccessProblem?> DeleteGrantAsync(string actor, string name, CancellationToken cancellationToken = default) =>
        DeleteAsync(actor, db => db.AccessGrants, "grant", GrantActions, name, (_, _) => Task.FromResult<string?>(null), cancellationToken);

    /// <summary>Deletes a role template; refused while a grant uses it.</summary>
    public Task<AccessProblem?> DeleteTemplateAsync(string actor, string name, CancellationToken cancellationToken = default) =>
        DeleteAsync(actor, db => db.RoleTemplates, "role template", TemplateActions, name,
            async (db, ct) => (await db.AccessGrants.AsNoTracking().ToListAsync(ct)).Select(r => Read<AccessGrant>(r)).Count(g => g.Role == name) is var used and > 0
                ? $"Role template '{name}' is used by {used} grant(s); change them first." : null,
            cancellationToken);

    public static string Target(string what, string name) => $"{what.Replace(' ', '-')}/{name}";

    private async Task<List<TRecord>> ListAsync<TRecord>(Func<RegistryDbContext, DbSet<TRecord>> set, CancellationToken cancellationToken) where TRecord : AccessRecord
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await set(db).AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
    }

    private async Task<AccessSaveResult<T>> SaveAsync<TRecord, T>(string actor, Func<RegistryDbContext, DbSet<TRecord>> set, string what, string actions, string name,
        long? expectedGeneration, IReadOnlyList<string> invalid, Func<long, T> stored, Func<T, TRecord> create,
        Func<RegistryDbContext, CancellationToken, Task<IReadOnlyList<string>>> checks, Func<T, string> describe, CancellationToken cancellationToken)
        where TRecord : AccessRecord
        where T : class
    {
        if (invalid.Count > 0)
        {
            return new AccessSaveResult<T>(null, invalid);
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var existing = await set(db).SingleOrDefaultAsync(r => r.Name == name, cancellationToken);
        if (expectedGeneration is null && existing is not null)
        {
            return new AccessSaveResult<T>(null, [$"A {what} named '{name}' exists already; edit it instead."], AccessRefusal.Conflict);
        }
        if (expectedGeneration is { } expected && (existing is null || existing.Generation != expected))
        {
            return new AccessSaveResult<T>(null, [existing is null
                ? $"The {what} '{name}' was deleted meanwhile."
                : $"The {what} '{name}' was changed by someone else meanwhile (now generation {existing.Generation}); reload it and make your change again."], AccessRefusal.Conflict);
        }
        if (await checks(db, cancellationToken) is { Count: > 0 } refused)
        {
            // A refusal of what reaches clusters (a grant beyond its ceiling) is kept: who tried what, and why not.
            await audit.RecordAsync(actor, actions + "refused", Target(what, name), AuditOutcome.Failed, string.Join(" ", refused), cancellationToken);
            return new AccessSaveResult<T>(null, refused);
        }
        var next = stored((existing?.Generation ?? 0) + 1);
        var record = existing ?? create(next);
        record.Generation = (existing?.Generation ?? 0) + 1;
        record.Spec = JsonSerializer.Serialize(next, Json);
        if (existing is null)
        {
            set(db).Add(record);
        }
        audit.Add(db, actor, actions + (existing is null ? "create" : "update"), Target(what, name), AuditOutcome.Succeeded, $"generation {record.Generation}: {describe(next)}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new AccessSaveResult<T>(null, [$"The {what} '{name}' was saved by someone else at the same moment; reload it and try again."], AccessRefusal.Conflict);
        }
        return new AccessSaveResult<T>(next, []);
    }

    private async Task<AccessProblem?> DeleteAsync<TRecord>(string actor, Func<RegistryDbContext, DbSet<TRecord>> set, string what, string actions, string name,
        Func<RegistryDbContext, CancellationToken, Task<string?>> refusal, CancellationToken cancellationToken) where TRecord : AccessRecord
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await set(db).SingleOrDefaultAsync(r => r.Name == name, cancellationToken);
        if (record is null)
        {
            return new($"There is no {what} named '{name}'.", AccessRefusal.NotFound);
        }
        if (await refusal(db, cancellationToken) is { } problem)
        {
            return new(problem, AccessRefusal.Invalid);
        }
        set(db).Remove(record);
        audit.Add(db, actor, actions + "delete", Target(what, name), AuditOutcome.Succeeded, $"generation {record.Generation}");
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    private static T Read<T>(AccessRecord record) => JsonSerializer.Deserialize<T>(record.Spec, Json) ?? throw new InvalidDataException($"The stored {typeof(T).Name} '{record.Name}' cannot be read.");
}
