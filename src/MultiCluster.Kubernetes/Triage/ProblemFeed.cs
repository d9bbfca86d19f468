using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Kubernetes.Triage;

/// <summary>
/// Follows the fleet state and keeps its problems in the store as <see cref="FleetKind.Problem"/> rows, so the
/// Triage page, the navigation counter and hub clients follow them like any other state. Each change batch is
/// judged as it arrives; a sweep every <see cref="TriageOptions.SweepInterval"/> judges what time changes.
/// </summary>
public sealed partial class ProblemFeed(FleetStateStore store, TriageOptions options, TimeProvider time, ILogger<ProblemFeed> logger) : BackgroundService
{
    private static readonly FleetFilter Watched = FleetFilter.For(FleetKind.Cluster, FleetKind.Node, FleetKind.Pod, FleetKind.ResourceQuota, FleetKind.Event);

    private readonly Lock _gate = new();
    private readonly ProblemTracker _tracker = new(options.Thresholds);
    private readonly Channel<EndedAcknowledgement> _ended = Channel.CreateUnbounded<EndedAcknowledgement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Acknowledgements whose problem went away or whose snooze ran out, for the registry to forget.</summary>
    public ChannelReader<EndedAcknowledgement> Ended => _ended.Reader;

    /// <summary>How long judging each batch took, for the benchmark and the logs.</summary>
    public TriageTimings Timings { get; } = new();

    /// <summary>Completes once the feed has judged the store's first snapshot.</summary>
    public Task Started => _started.Task;

    public ProblemGroup? Find(string cluster, string key)
    {
        lock (_gate)
        {
            return _tracker.Find(cluster, key);
        }
    }

    public void Acknowledge(string cluster, string key, Acknowledgement? acknowledgement)
    {
        lock (_gate)
        {
            Publish(_tracker.Acknowledge(cluster, key, acknowledgement, time.GetUtcNow()));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = store.Subscribe(Watched);
        Judge(subscription.Snapshot);
        _started.TrySetResult();
        var sweeping = SweepAsync(stoppingToken);
        try
        {
            await foreach (var batch in subscription.ReadBatchesAsync(stoppingToken))
            {
                Judge(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await sweeping;
    }

    private void Judge(FleetBatch batch)
    {
        var started = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            Publish(_tracker.Apply(batch, Events, time.GetUtcNow()));
        }
        Timings.RecordBatch(Stopwatch.GetElapsedTime(started));
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(options.SweepInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var started = Stopwatch.GetTimestamp();
                lock (_gate)
                {
                    Publish(_tracker.Sweep(store.All<PodSummary>(FleetKind.Pod), Events, time.GetUtcNow()));
                }
                var took = Stopwatch.GetElapsedTime(started);
                Timings.RecordSweep(took);
                if (took > options.SweepInterval / 2)
                {
                    LogSlowSweep(logger, (long)took.TotalMilliseconds, store.Count(FleetKind.Pod));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private IEnumerable<EventSummary> Events(string cluster) => store.All<EventSummary>(FleetKind.Event, cluster);

    // Called under the gate, so rows reach the store in the order they were judged.
    private void Publish(TriageChanges changes)
    {
        store.Apply(changes.Rows);
        foreach (var ended in changes.Ended)
        {
            _ended.Writer.TryWrite(ended);
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Judging every pod again took {Milliseconds} ms for {Pods} pods")]
    private static partial void LogSlowSweep(ILogger logger, long milliseconds, int pods);
}

/// <summary>How long the rules took: the latest and the worst per batch, and per sweep.</summary>
public sealed class TriageTimings
{
    private readonly Lock _gate = new();

    public int Batches { get; private set; }

    public TimeSpan LastBatch { get; private set; }

    public TimeSpan WorstBatch { get; private set; }

    public int Sweeps { get; private set; }

    public TimeSpan LastSweep { get; private set; }

    public TimeSpan WorstSweep { get; private set; }

    internal void RecordBatch(TimeSpan took)
    {
        lock (_gate)
        {
            Batches++;
            LastBatch = took;
            WorstBatch = took > WorstBatch ? took : WorstBatch;
        }
    }

    internal void RecordSweep(TimeSpan took)
    {
        lock (_gate)
        {
            Sweeps++;
            LastSweep = took;
            WorstSweep = took > WorstSweep ? took : WorstSweep;
        }
    }
}
