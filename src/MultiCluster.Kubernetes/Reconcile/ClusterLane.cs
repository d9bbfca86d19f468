using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>
/// The engine's state for one cluster: the latest judgement of each object, what it remembers between passes
/// (<see cref="IReconcileMemory"/>), the cluster's work queue and write budget. The planner updates it; the cluster's
/// worker takes keys from the queue and acts on the latest judgement of each, never an old one.
/// </summary>
internal sealed class ClusterLane : IReconcileMemory, IDisposable
{
    /// <summary>How long a write waits to show up in the informers before the engine stops assuming it will.</summary>
    private static readonly TimeSpan ObservationGrace = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ObjectJudgement> _latest = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _repairs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _backingOff = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Written> _unobserved = new(StringComparer.Ordinal);

    public ClusterLane(string cluster, ReconcileOptions options, TimeProvider time)
    {
        Cluster = cluster;
        _time = time;
        Queue = new ReconcileQueue<string>(time, options.InitialBackoff, options.MaxBackoff);
        Budget = new WriteBudget(time, options.WritesPerSecond);
    }

    public string Cluster { get; }

    public ReconcileQueue<string> Queue { get; }

    public WriteBudget Budget { get; }

    public CancellationTokenSource Stopping { get; } = new();

    public Task? Worker { get; set; }

    public bool Seen(string key)
    {
        lock (_gate)
        {
            return _seen.Contains(key);
        }
    }

    public string? LastError(string key)
    {
        lock (_gate)
        {
            return _errors.GetValueOrDefault(key);
        }
    }

    public bool RepairRequested(string key)
    {
        lock (_gate)
        {
            return _repairs.Contains(key);
        }
    }

    public void RequestRepair(IEnumerable<string> keys)
    {
        lock (_gate)
        {
            _repairs.UnionWith(keys);
        }
    }

    /// <summary>
    /// Takes a pass's judgements; returns the keys to work on. An object just written whose write the informers have
    /// not shown yet (the store still holds the version from before it) is not written again: that would be a
    /// duplicate write of the same thing.
    /// </summary>
    public List<string> Update(IReadOnlyList<ObjectJudgement> judgements)
    {
        var work = new List<string>();
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _latest.Clear();
            foreach (var judgement in judgements)
            {
                _latest[judgement.Key] = judgement;
                if (judgement.Actual is not null && judgement.Desired is not null && judgement.State.Status != TargetStatus.Conflict)
                {
                    _seen.Add(judgement.Key);
                }
                if (AwaitingObservationLocked(judgement, now))
                {
                    continue;
                }
                _unobserved.Remove(judgement.Key);
                if (judgement.Action != ReconcileAction.None && !_backingOff.Contains(judgement.Key))
                {
                    work.Add(judgement.Key);
                }
            }
            // What no pass judges any more (its owner let go of it, and it is gone) is forgotten.
            _seen.IntersectWith(_latest.Keys);
            foreach (var key in _errors.Keys.Where(k => !_latest.ContainsKey(k)).ToList())
            {
                _errors.Remove(key);
            }
            _repairs.IntersectWith(_latest.Keys);
        }
        return work;
    }

    /// <summary>
    /// The latest judgement of <paramref name="key"/> when it calls for a write; null when it does not, or when it was
    /// made before the engine's own last write of the object reached the informers (a pass that ran while the worker wrote).
    /// </summary>
    public ObjectJudgement? Actionable(string key)
    {
        lock (_gate)
        {
            return _latest.GetValueOrDefault(key) is { Action: not ReconcileAction.None } judgement && !AwaitingObservationLocked(judgement, _time.GetUtcNow())
                ? judgement
                : null;
        }
    }

    /// <summary>
    /// Whether the informers still show a version from before the engine's last write of the object: the one the write
    /// was judged from, or one another writer made before ours landed (a quota controller writes status after every
    /// change of spec), which is older than the version the write produced. Versions compare as numbers when they are
    /// (etcd's revisions, as client-go's MutationCache compares them).
    /// </summary>
    private bool AwaitingObservationLocked(ObjectJudgement judgement, DateTimeOffset now) =>
        _unobserved.TryGetValue(judgement.Key, out var written) && now - written.At < ObservationGrace
        && (judgement.Actual?.ResourceVersion == written.Before || Older(judgement.Actual?.ResourceVersion, written.After));

    private static bool Older(string? observed, string? written) =>
        ulong.TryParse(observed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var o)
        && ulong.TryParse(written, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var w) && o < w;

    /// <summary>The write went through: the error is forgotten and the pass waits for the informers to show it.</summary>
    /// <param name="written">The resourceVersion the write produced (null for a delete).</param>
    public void Succeeded(ObjectJudgement judgement, string? written)
    {
        lock (_gate)
        {
            _errors.Remove(judgement.Key);
            _repairs.Remove(judgement.Key);
            _backingOff.Remove(judgement.Key);
            if (judgement.Action == ReconcileAction.Apply)
            {
                _seen.Add(judgement.Key);
            }
            else
            {
                _seen.Remove(judgement.Key);
            }
            _unobserved[judgement.Key] = new Written(judgement.Actual?.ResourceVersion, written, _time.GetUtcNow());
        }
    }

    /// <summary>The write failed: the API's words stand as the object's status until a write succeeds; passes leave it to its backoff.</summary>
    public void Failed(string key, string? message)
    {
        lock (_gate)
        {
            if (message is not null)
            {
                _errors[key] = message;
            }
            _backingOff.Add(key);
        }
    }

    /// <summary>The backoff of <paramref name="key"/> is over: passes may queue it again.</summary>
    public void Retrying(string key)
    {
        lock (_gate)
        {
            _backingOff.Remove(key);
        }
    }

    public void Dispose()
    {
        Stopping.Dispose();
        Queue.Dispose();
    }

    private sealed record Written(string? Before, string? After, DateTimeOffset At);
}
