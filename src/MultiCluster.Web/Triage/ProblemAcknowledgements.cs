using System.Data.Common;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Core.Triage;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Kubernetes.Triage;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Access;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Triage;

/// <summary>
/// Acknowledging and snoozing problems: stored in the registry with the audit entry in one transaction, then
/// shown on the row for everyone. Reads what is stored at start-up, again at once when another replica changed it
/// (<see cref="Changed"/>) and every 30 s, and forgets what the feed says has ended (the problem went away, the snooze ran out).
/// </summary>
public sealed partial class ProblemAcknowledgements(
    IDbContextFactory<RegistryDbContext> factory, ProblemFeed feed, ClusterVisibility visibility, AuditLog audit, TimeProvider time, ILogger<ProblemAcknowledgements> logger) : BackgroundService
{
    public const int MaxNote = 1000;

    public static readonly TimeSpan MaxSnooze = TimeSpan.FromDays(1);

    /// <summary>The snoozes the page offers.</summary>
    public static IReadOnlyList<TimeSpan> SnoozeChoices { get; } = [TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromDays(1)];

    private const string Unavailable = "The registry database did not answer, so nothing was saved. Try again in a moment.";

    private static readonly TimeSpan Reread = TimeSpan.FromSeconds(30);

    private readonly ChangeSignal _changed = new();

    // What the last read of the registry found, to hand the feed only what changed since (an acknowledgement the feed ended
    // here, still stored until its removal reaches the registry, is not handed back).
    private Dictionary<(string Cluster, string Key), Acknowledgement> _stored = [];

    /// <summary>The acknowledgements changed elsewhere (another replica): read them again now.</summary>
    public void Changed() => _changed.Notify();

    /// <summary>Acknowledges a row with an optional note, or snoozes it for <paramref name="snoozeFor"/>; returns the problem in plain words, or null.</summary>
    public async Task<string?> AcknowledgeAsync(ClaimsPrincipal user, string cluster, string key, string? note, TimeSpan? snoozeFor, CancellationToken cancellationToken = default)
    {
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note?.Length > MaxNote)
        {
            return $"The note is {note.Length} characters long; at most {MaxNote} are kept.";
        }
        if (snoozeFor is { } snooze && (snooze <= TimeSpan.Zero || snooze > MaxSnooze))
        {
            return "A snooze lasts from a minute to a day (1440 minutes).";
        }
        if (visibility.For(user).Refusal(DashboardActions.AcknowledgeProblems, cluster, "acknowledge or snooze problems") is { } refusal)
        {
            return refusal;
        }
        if (Row(user, cluster, key) is not { } row)
        {
            return "This problem is not open any more.";
        }
        var actor = AuditLog.ActorOf(user);
        // Whole milliseconds: PostgreSQL keeps microseconds, and the feed matches acknowledgements by their time.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var acknowledgement = new Acknowledgement(actor, now, note, snoozeFor is { } s ? now + s : null);
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var clusterId = await db.Clusters.Where(c => c.Name == cluster).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
            if (clusterId is null)
            {
                return $"The cluster '{cluster}' is not registered any more.";
            }
            var stored = await db.ProblemAcknowledgements.FirstOrDefaultAsync(a => a.ClusterId == clusterId && a.ProblemKey == key, cancellationToken);
            if (stored is null)
            {
                stored = new ProblemAcknowledgement { ClusterId = clusterId.Value, ProblemKey = key, AcknowledgedBy = actor };
                db.ProblemAcknowledgements.Add(stored);
            }
            (stored.AcknowledgedBy, stored.AcknowledgedAt, stored.Note, stored.SnoozedUntil) = (actor, now, note, acknowledgement.SnoozedUntil);
            audit.Add(db, actor, snoozeFor is null ? TriageAuditActions.Acknowledge : TriageAuditActions.Snooze, ClusterAuditActions.Target(cluster), AuditOutcome.Succeeded,
                Describe(row) + (acknowledgement.SnoozedUntil is { } until ? $"; snoozed until {until:u}" : "") + (note is null ? "" : $"; note: {note}"));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (IsRegistryFailure(ex))
        {
            LogNotSaved(logger, ex);
            return Unavailable;
        }
        feed.Acknowledge(cluster, key, acknowledgement);
        return null;
    }

    /// <summary>Takes an acknowledgement or snooze back: the row is open again.</summary>
    public async Task<string?> UnacknowledgeAsync(ClaimsPrincipal user, string cluster, string key, CancellationToken cancellationToken = default)
    {
        if (visibility.For(user).Refusal(DashboardActions.AcknowledgeProblems, cluster, "take back acknowledgements") is { } refusal)
        {
            return refusal;
        }
        if (Row(user, cluster, key) is not { Acknowledgement: not null } row)
        {
            return "This problem is not acknowledged.";
        }
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var stored = await db.ProblemAcknowledgements
                .Where(a => a.ProblemKey == key && db.Clusters.Any(c => c.Id == a.ClusterId && c.Name == cluster))
                .ToListAsync(cancellationToken);
            db.ProblemAcknowledgements.RemoveRange(stored);
            audit.Add(db, AuditLog.ActorOf(user), TriageAuditActions.Unacknowledge, ClusterAuditActions.Target(cluster), AuditOutcome.Succeeded, Describe(row));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (IsRegistryFailure(ex))
        {
            LogNotSaved(logger, ex);
            return Unavailable;
        }
        feed.Acknowledge(cluster, key, null);
        return null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seen = _changed.Version;
        await LoadAsync(stoppingToken);
        await Task.WhenAll(FollowAsync(seen, stoppingToken), ForgetEndedAsync(stoppingToken));
    }

    private async Task ForgetEndedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var ended in feed.Ended.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await ForgetAsync(ended, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogNotForgotten(logger, ended.Cluster, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the registry again when told it changed, and every 30 s in case a notification was lost.</summary>
    private async Task FollowAsync(long seen, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(seen, stoppingToken).WaitAsync(Reread, time, stoppingToken);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
            seen = _changed.Version;
            try
            {
                await LoadAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogNotRead(logger, ex);
            }
        }
    }

    /// <summary>Hands the feed what changed in the registry since the last read: new and changed acknowledgements, and those taken back.</summary>
    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ProblemAcknowledgements.AsNoTracking()
            .Join(db.Clusters, a => a.ClusterId, c => c.Id, (a, c) => new { Cluster = c.Name, Acknowledgement = a })
            .ToListAsync(cancellationToken);
        var stored = rows.ToDictionary(
            r => (r.Cluster, r.Acknowledgement.ProblemKey),
            r => new Acknowledgement(r.Acknowledgement.AcknowledgedBy, r.Acknowledgement.AcknowledgedAt, r.Acknowledgement.Note, r.Acknowledgement.SnoozedUntil));
        foreach (var ((cluster, key), acknowledgement) in stored)
        {
            if (!_stored.TryGetValue((cluster, key), out var before) || before != acknowledgement)
            {
                feed.Acknowledge(cluster, key, acknowledgement);
            }
        }
        foreach (var (cluster, key) in _stored.Keys.Where(k => !stored.ContainsKey(k)))
        {
            feed.Acknowledge(cluster, key, null);
        }
        _stored = stored;
    }

    private async Task ForgetAsync(EndedAcknowledgement ended, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var at = ended.Acknowledgement.At;
        // Only the acknowledgement that ended: someone may have acknowledged the problem again meanwhile.
        var stored = await db.ProblemAcknowledgements
            .Where(a => a.ProblemKey == ended.Key && a.AcknowledgedAt == at && db.Clusters.Any(c => c.Id == a.ClusterId && c.Name == ended.Cluster))
            .ToListAsync(cancellationToken);
        if (stored.Count == 0)
        {
            return;
        }
        db.ProblemAcknowledgements.RemoveRange(stored);
        audit.Add(db, TriageAuditActions.System, TriageAuditActions.Ended, ClusterAuditActions.Target(ended.Cluster), AuditOutcome.Succeeded,
            $"{ended.Key} ({(ended.SnoozeEnded ? "the snooze ended" : "the problem went away")}; acknowledged by {ended.Acknowledgement.By})");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another replica's feed saw it end too, and removed it (with its audit entry) first.
        }
    }

    private static bool IsRegistryFailure(Exception ex) =>
        ex is DbException or DbUpdateException or InvalidOperationException && ex is not ObjectDisposedException;

    private ProblemGroup? Row(ClaimsPrincipal user, string cluster, string key) =>
        visibility.For(user).CanSee(cluster) ? feed.Find(cluster, key) : null;

    private static string Describe(ProblemGroup row) =>
        $"{row.Reason} {TriageView.KindOf(row)} {(row.Namespace is { } ns ? ns + "/" : "")}{row.Name}" + (row.Count > 1 ? $" ({row.Count} {row.ObjectKind.ToLowerInvariant()}s)" : "");


    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "An acknowledgement could not be saved")]
    private static partial void LogNotSaved(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning, Message = "Could not read the acknowledgements from the registry; the page goes on with those it knew")]
    private static partial void LogNotRead(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "An ended acknowledgement of cluster {Cluster} could not be removed from the registry")]
    private static partial void LogNotForgotten(ILogger logger, string cluster, Exception ex);
}
