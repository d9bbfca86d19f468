using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MultiCluster.Data.Replicas;

/// <summary>
/// Tells the other replicas what a save changed: on PostgreSQL, one <c>pg_notify</c> per topic the saved entities concern
/// (<see cref="RegistryTopics.Of"/>), sent on the same connection right after the save. Inside a transaction of the caller's
/// the notification is part of it (PostgreSQL delivers it at commit and drops it on rollback); otherwise the save has
/// committed already, and a notification that cannot be sent is logged rather than reported as a failed save (the other
/// replicas' 30 s re-read brings it). Every store's writes are covered this way without each remembering to say so.
/// </summary>
internal sealed partial class RegistryChangeInterceptor(ILogger<RegistryChangeInterceptor> logger) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, HashSet<string>> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        foreach (var topic in Take(eventData.Context))
        {
            try
            {
                eventData.Context!.Database.ExecuteSql(RegistryTopics.Notify(topic));
            }
            catch (Exception ex) when (Committed(eventData.Context!, ex))
            {
                LogNotSent(logger, topic, ex);
            }
        }
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        foreach (var topic in Take(eventData.Context))
        {
            try
            {
                await eventData.Context!.Database.ExecuteSqlAsync(RegistryTopics.Notify(topic), cancellationToken);
            }
            catch (Exception ex) when (Committed(eventData.Context!, ex))
            {
                LogNotSent(logger, topic, ex);
            }
        }
        return result;
    }

    /// <summary>Outside a caller's transaction the save is in: the failure of its notification is not the save's.</summary>
    private static bool Committed(DbContext context, Exception ex) =>
        context.Database.CurrentTransaction is null && ex is DbException or InvalidOperationException or TimeoutException;

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Take(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Take(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null || !context.Database.IsNpgsql())
        {
            return;
        }
        var topics = context.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => RegistryTopics.Of(e.Metadata.ClrType))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        if (topics.Count > 0)
        {
            _pending.AddOrUpdate(context, topics);
        }
    }

    private IReadOnlyCollection<string> Take(DbContext? context) =>
        context is not null && _pending.TryGetValue(context, out var topics) && _pending.Remove(context) ? topics : [];

    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Saved, but could not tell the other replicas that {Topic} changed; they read it again within 30 s")]
    private static partial void LogNotSent(ILogger logger, string topic, Exception ex);
}
