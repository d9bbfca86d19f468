using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data;

/// <summary>
/// Writes who did what to what, and how it ended. <see cref="Add"/> joins the caller's unit of work so the
/// entry commits with the change; <see cref="RecordAsync"/> is for actions with no change of their own
/// (sign-in, a refused request, a connection test).
/// </summary>
public sealed class AuditLog(IDbContextFactory<RegistryDbContext> factory, TimeProvider time)
{
    public const int MaxDetailLength = 4000;

    /// <summary>The actor of what nobody signed in did.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The actor of the operator commands (<c>admin …</c>).</summary>
    public const string AdminCli = "admin-cli";

    /// <summary>Who a signed-in user is in the audit log.</summary>
    public static string ActorOf(ClaimsPrincipal user) => user.Identity?.Name ?? Anonymous;

    /// <summary>Names that stand for the dashboard itself in the audit log; no person may sign in as one.</summary>
    public static bool IsReservedActor(string name) =>
        name.Trim() is var trimmed && (trimmed.Equals(Anonymous, StringComparison.OrdinalIgnoreCase) || trimmed.Equals(AdminCli, StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("system", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("system:", StringComparison.OrdinalIgnoreCase));

    public AuditEntry Add(RegistryDbContext db, string actor, string action, string target, AuditOutcome outcome, string? detail = null)
    {
        var entry = new AuditEntry
        {
            Time = time.GetUtcNow(),
            Actor = Truncate(actor, 256),
            Action = action,
            Target = Truncate(target, 512),
            Outcome = outcome,
            Detail = detail is null ? null : Truncate(detail, MaxDetailLength),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    public async Task RecordAsync(string actor, string action, string target, AuditOutcome outcome, string? detail = null, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        Add(db, actor, action, target, outcome, detail);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<AuditPage> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            entries = entries.Where(e => e.Actor == query.Actor.Trim());
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            var action = query.Action.Trim();
            entries = action.EndsWith('.') ? entries.Where(e => e.Action.StartsWith(action)) : entries.Where(e => e.Action == action);
        }
        if (!string.IsNullOrWhiteSpace(query.Cluster))
        {
            var target = $"cluster/{query.Cluster.Trim()}";
            entries = entries.Where(e => e.Target == target);
        }
        if (query.Outcome is { } outcome)
        {
            entries = entries.Where(e => e.Outcome == outcome);
        }
        if (query.From is { } from)
        {
            entries = entries.Where(e => e.Time >= from);
        }
        if (query.To is { } to)
        {
            entries = entries.Where(e => e.Time <= to);
        }
        var total = await entries.CountAsync(cancellationToken);
        var page = await entries
            .OrderByDescending(e => e.Time).ThenByDescending(e => e.Id)
            .Skip(Math.Max(0, query.Skip))
            .Take(Math.Clamp(query.Take, 1, AuditQuery.MaxPageSize))
            .ToListAsync(cancellationToken);
        return new AuditPage(page, total);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "…";
}
