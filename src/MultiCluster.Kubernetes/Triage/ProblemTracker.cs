using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Kubernetes.Triage;

/// <summary>An acknowledgement that no longer applies: its problem went away, or its snooze ended.</summary>
public sealed record EndedAcknowledgement(string Cluster, string Key, Acknowledgement Acknowledgement, bool SnoozeEnded);

/// <summary>What one round of evaluation changed: rows to upsert or delete in the store, acknowledgements that ended.</summary>
public sealed record TriageChanges(IReadOnlyList<FleetChange> Rows, IReadOnlyList<EndedAcknowledgement> Ended);

/// <summary>
/// The triage rules applied incrementally: each changed object is judged again on its own, its problems join
/// or leave their rows, and only rows that changed are published. A periodic <see cref="Sweep"/> catches what
/// time alone changes (a pod Pending past its limit, restarts leaving the hour, a snooze ending).
/// Not thread-safe: one caller at a time (the <see cref="ProblemFeed"/>).
/// </summary>
public sealed class ProblemTracker(TriageThresholds thresholds)
{
    private static readonly Problem[] None = [];

    /// <summary>An ended acknowledgement of a row that never showed up is only ended once its cluster has been visible this long.</summary>
    private static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(10);

    private readonly Dictionary<ObjectRef, Problem[]> _objects = [];
    private readonly Dictionary<string, ClusterSummary> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _visibleSince = new(StringComparer.Ordinal);
    private readonly Dictionary<RowRef, Row> _rows = [];
    private readonly Dictionary<RowRef, ProblemGroup> _published = [];
    private readonly Dictionary<RowRef, Acknowledgement> _acknowledgements = [];
    private readonly HashSet<RowRef> _dirty = [];
    private readonly HashSet<string> _eventsChanged = new(StringComparer.Ordinal);
    private readonly List<EndedAcknowledgement> _ended = [];

    /// <summary>The rows as last published.</summary>
    public IReadOnlyCollection<ProblemGroup> Rows => _published.Values;

    public ProblemGroup? Find(string cluster, string key) => _published.GetValueOrDefault(new RowRef(cluster, key));

    /// <summary>Judges the objects a batch changed. A snapshot batch replaces everything known before.</summary>
    public TriageChanges Apply(FleetBatch batch, Func<string, IEnumerable<EventSummary>> events, DateTimeOffset now)
    {
        if (batch.IsSnapshot)
        {
            Forget(batch);
        }
        foreach (var change in batch.Changes)
        {
            var target = new ObjectRef(change.Kind, change.Cluster, change.Key);
            switch (change.Object)
            {
                case ClusterSummary cluster:
                    SetCluster(cluster.Cluster, cluster, now);
                    Judge(target, TriageRules.ForCluster(cluster), now);
                    break;
                case NodeSummary node:
                    Judge(target, TriageRules.ForNode(node), now);
                    break;
                case PodSummary pod:
                    Judge(target, TriageRules.ForPod(pod, now, thresholds), now);
                    break;
                case QuotaSummary quota:
                    Judge(target, TriageRules.ForQuota(quota, thresholds), now);
                    break;
                case EventSummary:
                    _eventsChanged.Add(change.Cluster);
                    break;
                case null when change.Kind == FleetKind.Event:
                    _eventsChanged.Add(change.Cluster);
                    break;
                case null:
                    if (change.Kind == FleetKind.Cluster)
                    {
                        SetCluster(change.Cluster, null, now);
                    }
                    Judge(target, None, now);
                    break;
            }
        }
        foreach (var cluster in _eventsChanged)
        {
            JudgeEvents(cluster, events(cluster), now);
        }
        _eventsChanged.Clear();
        return Publish(now);
    }

    /// <summary>
    /// Judges again what the time alone changes (pending and restarting pods, every cluster's events), and ends snoozes
    /// that have run out and acknowledgements of rows that did not come back.
    /// </summary>
    public TriageChanges Sweep(IEnumerable<PodSummary> pods, Func<string, IEnumerable<EventSummary>> events, DateTimeOffset now)
    {
        // Only two pod rules depend on the time (Pending too long, restarts within the window): other pods are
        // judged when they change, which keeps a sweep of a 450,000-pod fleet to the few that matter.
        foreach (var pod in pods)
        {
            if (pod.Phase == "Pending" || (pod.Restarts >= thresholds.Restarts && pod.LastRestartAt is not null))
            {
                Judge(new ObjectRef(FleetKind.Pod, pod.Cluster, pod.Key), TriageRules.ForPod(pod, now, thresholds), now);
            }
        }
        foreach (var cluster in _clusters.Keys)
        {
            JudgeEvents(cluster, events(cluster), now);
        }
        foreach (var (row, acknowledgement) in _acknowledgements.ToList())
        {
            if (acknowledgement.SnoozedUntil is { } until && until <= now)
            {
                _acknowledgements.Remove(row);
                _ended.Add(new EndedAcknowledgement(row.Cluster, row.Key, acknowledgement, SnoozeEnded: true));
                _dirty.Add(row);
            }
            else if (!_rows.ContainsKey(row) && _visibleSince.TryGetValue(row.Cluster, out var since) && now - since >= OrphanGrace)
            {
                _acknowledgements.Remove(row);
                _ended.Add(new EndedAcknowledgement(row.Cluster, row.Key, acknowledgement, SnoozeEnded: false));
            }
        }
        return Publish(now);
    }

    /// <summary>Sets (or with null, removes) the acknowledgement of a row, whether or not the row is there yet.</summary>
    public TriageChanges Acknowledge(string cluster, string key, Acknowledgement? acknowledgement, DateTimeOffset now)
    {
        var row = new RowRef(cluster, key);
        if (acknowledgement is null)
        {
            _acknowledgements.Remove(row);
        }
        else
        {
            _acknowledgements[row] = acknowledgement;
        }
        _dirty.Add(row);
        return Publish(now);
    }

    private void Forget(FleetBatch snapshot)
    {
        var present = snapshot.Changes.Select(c => new ObjectRef(c.Kind, c.Cluster, c.Key)).ToHashSet();
        foreach (var target in _objects.Keys.Where(k => k.Kind != FleetKind.Event && !present.Contains(k)).ToList())
        {
            Judge(target, None, DateTimeOffset.MinValue);
        }
        foreach (var cluster in _clusters.Keys.Where(c => !present.Contains(new ObjectRef(FleetKind.Cluster, c, c))).ToList())
        {
            SetCluster(cluster, null, DateTimeOffset.MinValue);
        }
        _eventsChanged.UnionWith(_objects.Keys.Where(k => k.Kind == FleetKind.Event).Select(k => k.Cluster));
        _eventsChanged.UnionWith(snapshot.Changes.Where(c => c.Kind == FleetKind.Event).Select(c => c.Cluster));
    }

    private static bool IsVisible(ClusterSummary? cluster) => cluster?.Health is ClusterHealth.Synced or ClusterHealth.Degraded;

    private void SetCluster(string name, ClusterSummary? cluster, DateTimeOffset now)
    {
        var wasVisible = IsVisible(_clusters.GetValueOrDefault(name));
        if (cluster is null)
        {
            _clusters.Remove(name);
        }
        else
        {
            _clusters[name] = cluster;
        }
        var visible = IsVisible(cluster);
        if (visible == wasVisible)
        {
            return;
        }
        // What the cluster's objects last said is shown only while it is watched and answering.
        if (visible)
        {
            _visibleSince[name] = now;
        }
        else
        {
            _visibleSince.Remove(name);
        }
        _dirty.UnionWith(_rows.Keys.Where(r => r.Cluster == name));
    }

    private void JudgeEvents(string cluster, IEnumerable<EventSummary> events, DateTimeOffset now) =>
        Judge(new ObjectRef(FleetKind.Event, cluster, "*"),
            [.. TriageRules.ForEvents(events, now, thresholds).Where(p => !HasProblemOfItsOwn(p))], now);

    /// <summary>A burst of warnings about an object already on the page (its crash loop) says nothing new.</summary>
    private bool HasProblemOfItsOwn(Problem burst) =>
        Enum.TryParse<FleetKind>(burst.Kind, out var kind) && kind != FleetKind.Event &&
        _objects.ContainsKey(new ObjectRef(kind, burst.Cluster, FleetKeys.Of(burst.Namespace, burst.Name)));

    private void Judge(ObjectRef target, IEnumerable<Problem> found, DateTimeOffset now)
    {
        var problems = found as Problem[] ?? [.. found];
        _objects.TryGetValue(target, out var before);
        before ??= None;
        if (before.Length == 0 && problems.Length == 0 || before.AsSpan().SequenceEqual(problems))
        {
            return;
        }
        foreach (var old in before)
        {
            if (!Array.Exists(problems, p => p.Id == old.Id))
            {
                Leave(old, now);
            }
        }
        foreach (var problem in problems)
        {
            Join(problem, now);
        }
        if (problems.Length == 0)
        {
            _objects.Remove(target);
        }
        else
        {
            _objects[target] = problems;
        }
    }

    private void Join(Problem problem, DateTimeOffset now)
    {
        var key = new RowRef(problem.Cluster, problem.GroupKey);
        if (!_rows.TryGetValue(key, out var row))
        {
            row = new Row(now);
            _rows[key] = row;
        }
        if (row.Problems.TryGetValue(problem.Id, out var existing) && existing == problem)
        {
            return;
        }
        row.Problems[problem.Id] = problem;
        row.LastSeen = now;
        _dirty.Add(key);
    }

    private void Leave(Problem problem, DateTimeOffset now)
    {
        var key = new RowRef(problem.Cluster, problem.GroupKey);
        if (_rows.TryGetValue(key, out var row) && row.Problems.Remove(problem.Id))
        {
            row.LastSeen = now;
            _dirty.Add(key);
        }
    }

    private TriageChanges Publish(DateTimeOffset now)
    {
        var changes = new List<FleetChange>();
        foreach (var key in _dirty)
        {
            _rows.TryGetValue(key, out var row);
            if (row is null || row.Problems.Count == 0)
            {
                if (row is not null)
                {
                    _rows.Remove(key);
                    // Gone from a cluster still being watched: this occurrence is over, and so is its acknowledgement.
                    if (IsVisible(_clusters.GetValueOrDefault(key.Cluster)) && _acknowledgements.Remove(key, out var acknowledgement))
                    {
                        _ended.Add(new EndedAcknowledgement(key.Cluster, key.Key, acknowledgement, SnoozeEnded: false));
                    }
                }
                Unpublish(key, changes);
                continue;
            }
            var first = row.Problems.Values.First();
            if (first.Kind != "Cluster" && !IsVisible(_clusters.GetValueOrDefault(key.Cluster)))
            {
                Unpublish(key, changes);
                continue;
            }
            var group = new ProblemGroup
            {
                Cluster = key.Cluster,
                Key = key.Key,
                Problems = [.. row.Problems.Values.OrderBy(p => p.Name, StringComparer.Ordinal)],
                FirstSeen = row.FirstSeen,
                LastSeen = row.LastSeen,
                Acknowledgement = _acknowledgements.GetValueOrDefault(key),
            };
            _published[key] = group;
            changes.Add(FleetChange.Upsert(group));
        }
        _dirty.Clear();
        var ended = _ended.ToList();
        _ended.Clear();
        return new TriageChanges(changes, ended);
    }

    private void Unpublish(RowRef key, List<FleetChange> changes)
    {
        if (_published.Remove(key))
        {
            changes.Add(FleetChange.Delete(FleetKind.Problem, key.Cluster, key.Key));
        }
    }

    private readonly record struct ObjectRef(FleetKind Kind, string Cluster, string Key);

    private readonly record struct RowRef(string Cluster, string Key);

    private sealed class Row(DateTimeOffset firstSeen)
    {
        public Dictionary<string, Problem> Problems { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset FirstSeen { get; } = firstSeen;

        public DateTimeOffset LastSeen { get; set; } = firstSeen;
    }
}
