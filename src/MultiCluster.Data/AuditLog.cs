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

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "…";
}
