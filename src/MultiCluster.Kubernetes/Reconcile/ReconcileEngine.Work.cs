using k8s.Autorest;
using Microsoft.Extensions.Logging;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Reconcile;

public sealed partial class ReconcileEngine
{
    /// <summary>One cluster's worker: one key at a time, within the cluster's write budget, acting on the key's latest judgement.</summary>
    private async Task WorkAsync(ClusterLane lane, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string key;
            try
            {
                key = await lane.Queue.TakeAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                lane.Retrying(key);
                if (lane.Actionable(key) is { } judgement && clients.Client(lane.Cluster) is { } client)
                {
                    // Fencing: no write unless this replica still leads, in the epoch it leads in now, asked of the lock itself.
                    if (!await _fence.ConfirmAsync(_fence.Epoch, cancellationToken))
                    {
                        // No pass follows (it would queue the key again): the next leader judges everything afresh.
                        LogFenced(logger, lane.Cluster, key);
                        continue;
                    }
                    // One write at a time per cluster, so the budget's window holds: waiting, then writing, then counting it.
                    for (var delay = lane.Budget.Delay(); delay > TimeSpan.Zero; delay = lane.Budget.Delay())
                    {
                        await Task.Delay(delay, time, cancellationToken);
                    }
                    try
                    {
                        await WriteAsync(lane, client, judgement, cancellationToken);
                    }
                    finally
                    {
                        lane.Budget.Finished();
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                lane.Queue.Done(key);
            }
            _passes.Add(lane.Cluster);
        }
    }

    private async Task WriteAsync(ClusterLane lane, k8s.IKubernetes client, ObjectJudgement judgement, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.WriteTimeout);
        try
        {
            if (judgement.Action == ReconcileAction.Apply)
            {
                // Asked before the write: once it is made, a pass may observe the new object and mark it seen, which would
                // count this first creation as a repair.
                var seenBefore = lane.Seen(judgement.Key);
                var result = await ManagedObjectWriter.TryApplyAsync(client, judgement.Desired!, source.OwnerKind, timeout.Token);
                if (result.Written is null)
                {
                    // Refused, or a foreign object holds the name (a Conflict, which the next pass shows from the informers).
                    Failed(lane, judgement, result.State.Status == TargetStatus.Error ? result.State.Message : null, result.RetryAfter);
                    return;
                }
                if (result.State.Status == TargetStatus.Drifted)
                {
                    // The cluster took the write and keeps other values (a webhook, a controller): writing again would only loop.
                    Failed(lane, judgement, "The cluster keeps other values than those written: "
                        + string.Join(", ", result.State.Differences.Select(d => $"{d.Path} is {d.Actual ?? "absent"}, not {d.Desired}")), null);
                    return;
                }
                // A write of an object edited or deleted behind our back is a repair; of one written from an older generation, an update.
                var kind = judgement.State.Status switch
                {
                    TargetStatus.Drifted or TargetStatus.Missing => WriteKind.Repaired,
                    _ when judgement.Actual is not null => WriteKind.Updated,
                    _ => seenBefore ? WriteKind.Repaired : WriteKind.Created,
                };
                lane.Succeeded(judgement, result.Written.ResourceVersion);
                lane.Queue.Forget(judgement.Key);
                _tally.Add(source.OwnerKind, judgement.Owner, lane.Cluster, kind);
                KubernetesTelemetry.ReconcileWrites.Add(1, new("owner", source.OwnerKind), new("cluster", lane.Cluster), new("write", kind.ToString()));
            }
            else
            {
                var o = judgement.Actual!;
                await ManagedObjectWriter.DeleteIfOursAsync(client, o.Kind, o.Namespace, o.Name, source.OwnerKind, judgement.Owner, timeout.Token);
                lane.Succeeded(judgement, null);
                lane.Queue.Forget(judgement.Key);
                _tally.Add(source.OwnerKind, judgement.Owner, lane.Cluster, WriteKind.Deleted);
                KubernetesTelemetry.ReconcileWrites.Add(1, new("owner", source.OwnerKind), new("cluster", lane.Cluster), new("write", nameof(WriteKind.Deleted)));
            }
        }
        catch (HttpOperationException ex)
        {
            Failed(lane, judgement, KubernetesStatus.MessageOf(ex), KubernetesStatus.RetryAfter(ex));
        }
        catch (Exception ex) when (ex is HttpRequestException or ObjectDisposedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The cluster did not answer (or its watch was just replaced): the informers say so too, and the targets wait as Pending.
            LogUnreachable(logger, lane.Cluster, judgement.Key, ex.GetType().Name);
            Failed(lane, judgement, null, null);
        }
    }

    private void Failed(ClusterLane lane, ObjectJudgement judgement, string? message, TimeSpan? retryAfter)
    {
        lane.Failed(judgement.Key, message);
        KubernetesTelemetry.ReconcileErrors.Add(1, new("owner", source.OwnerKind), new("cluster", lane.Cluster), new("refused", message is not null));
        var delay = lane.Queue.AddFailed(judgement.Key, retryAfter);
        if (message is not null)
        {
            _tally.Add(source.OwnerKind, judgement.Owner, lane.Cluster, WriteKind.Failed, message);
            LogWriteFailed(logger, lane.Cluster, judgement.Key, message, delay);
        }
    }

    private async Task JournalAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.JournalInterval, time, stoppingToken);
            await FlushJournalAsync(stoppingToken);
        }
    }

    private async Task FlushJournalAsync(CancellationToken cancellationToken)
    {
        if (_tally.Take() is { Count: > 0 } summaries)
        {
            try
            {
                await journal.RecordAsync(summaries, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogJournalFailed(logger, summaries.Count, ex);
            }
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "A reconcile pass over cluster {Cluster} failed")]
    private static partial void LogPassFailed(ILogger logger, string cluster, Exception ex);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Cluster {Cluster} refused the write of {Key}: {Message}; next try in {Delay}")]
    private static partial void LogWriteFailed(ILogger logger, string cluster, string key, string message, TimeSpan delay);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Cluster {Cluster} did not answer the write of {Key} ({Error})")]
    private static partial void LogUnreachable(ILogger logger, string cluster, string key, string error);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Did not write {Key} to cluster {Cluster}: this replica does not lead (any more)")]
    private static partial void LogFenced(ILogger logger, string cluster, string key);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "The {OwnerKind} engine leads (epoch {Epoch}): every cluster is judged again and its writes made here")]
    private static partial void LogLeading(ILogger logger, string ownerKind, long epoch);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Could not record {Count} reconcile summaries in the journal")]
    private static partial void LogJournalFailed(ILogger logger, int count, Exception ex);
}

internal enum WriteKind
{
    Created,
    Updated,
    Repaired,
    Deleted,
    Failed,
}

/// <summary>Counts the engine's writes per owner and cluster between two journal entries.</summary>
internal sealed class ReconcileTally
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string OwnerKind, string Owner, string Cluster), int[]> _counts = [];
    private readonly Dictionary<(string OwnerKind, string Owner, string Cluster), string> _errors = [];
    public void Add(string ownerKind, string owner, string cluster, WriteKind kind, string? error = null)
    {
        lock (_gate)
        {
            var key = (ownerKind, owner, cluster);
            var counts = _counts.TryGetValue(key, out var known) ? known : _counts[key] = new int[5];
            counts[(int)kind]++;
            if (error is not null)
            {
                _errors[key] = error;
            }
        }
    }

    public List<ReconcileSummary> Take()
    {
        lock (_gate)
        {
            var summaries = _counts.OrderBy(c => c.Key.Owner, StringComparer.Ordinal).ThenBy(c => c.Key.Cluster, StringComparer.Ordinal)
                .Select(c => new ReconcileSummary(c.Key.OwnerKind, c.Key.Owner, c.Key.Cluster, c.Value[0], c.Value[1], c.Value[2], c.Value[3], c.Value[4], _errors.GetValueOrDefault(c.Key)))
                .ToList();
            _counts.Clear();
            _errors.Clear();
            return summaries;
        }
    }
}
