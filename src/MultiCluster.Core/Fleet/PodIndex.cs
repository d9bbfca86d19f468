using System.Buffers;

namespace MultiCluster.Core.Fleet;

/// <summary>
/// Every pod of the fleet, indexed as the Pods page asks: by cluster, by status, counted by (cluster, namespace,
/// phase, status), and kept in order for the sort columns in use. Kept up to date pod by pod from the change
/// feed, so a query reads a page and a count instead of filtering and sorting every pod: the name order is
/// always kept; another column's order is built when a query first sorts by it and dropped once no query
/// has used it for <see cref="UnusedOrderLifetime"/>. Safe for one writer and many readers.
/// </summary>
public sealed class PodIndex
{
    /// <summary>Below this many candidates (a cluster, a status) a query sorts them instead of walking an order.</summary>
    private const int SortedCandidatesLimit = 20_000;

    public static readonly TimeSpan UnusedOrderLifetime = TimeSpan.FromMinutes(10);

    private static readonly IEqualityComparer<PodSummary> Same = ReferenceEqualityComparer.Instance;

    /// <summary>
    /// The copies a pass runs on: as long as the fleet has pods (3.6 MB at 450,000). The shared pool kept one per
    /// thread and per core once tabs queried at the same time (67 MB with 20 tabs open); this one keeps two per size.
    /// </summary>
    private static readonly ArrayPool<PodSummary> Copies = ArrayPool<PodSummary>.Create(maxArrayLength: 1 << 22, maxArraysPerBucket: 2);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ClusterPods> _byCluster = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<PodSummary>> _byStatus = new(StringComparer.Ordinal);
    private readonly Dictionary<CountKey, int> _counts = [];
    private readonly Dictionary<PodSort, Order> _orders = [];
    private readonly Dictionary<PodSort, Building> _building = [];
    private int _count;

    public PodIndex(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _orders[PodSort.Name] = new Order(new SortedSet<PodSummary>(Comparer(PodSort.Name)), long.MaxValue);
    }

    /// <summary>An index of <paramref name="pods"/>, for a query over a list (tests, small sets).</summary>
    public static PodIndex Of(IEnumerable<PodSummary> pods)
    {
        var index = new PodIndex();
        index.Update([.. pods.Select(p => ((PodSummary?)null, (PodSummary?)p))]);
        return index;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Applies changes: each the pod as it was (null when new) and as it is (null when deleted).</summary>
    public void Update(IReadOnlyList<(PodSummary? Old, PodSummary? New)> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            foreach (var building in _building.Values)
            {
                building.Changes.AddRange(changes);
            }
            // By index: a foreach over the interface boxes an enumerator per batch.
            for (var i = 0; i < changes.Count; i++)
            {
                var (old, current) = changes[i];
                if (old is not null && current is not null && old.Cluster == current.Cluster && old.Name == current.Name)
                {
                    Replace(old, current);
                    continue;
                }
                if (old is not null)
                {
                    Remove(old);
                }
                if (current is not null)
                {
                    Add(current);
                }
            }
        }
    }

    /// <summary>The page of <paramref name="query"/>, over the pods of the clusters <paramref name="visible"/> lets through (all when null).</summary>
    public PodPage Query(PodQuery query, Func<string, bool>? visible = null)
    {
        var (selector, error) = LabelSelector.Parse(query.LabelSelector);
        if (error is not null)
        {
            return new PodPage([], 0, error);
        }
        var matches = query.Matcher(selector, visible);
        var skip = Math.Max(0, query.Page) * query.PageSize;
        PodSummary[] copy;
        int copied;
        int? counted;
        List<ClusterPods>? searched;
        lock (_gate)
        {
            var candidates = Candidates(query, visible);
            if (candidates is not null && candidates.Count <= SortedCandidatesLimit)
            {
                var found = candidates.Where(matches).ToList();
                found.Sort(Comparer(query.SortBy));
                if (query.Descending)
                {
                    found.Reverse();
                }
                return new PodPage([.. found.Skip(skip).Take(query.PageSize)], found.Count, null);
            }
            counted = CountFromCounters(query, visible);
            // Walking the column's order finds the page after skip + size matches, when matches are dense and the
            // counters give the count; otherwise one pass over the pods keeps the first skip + size in a heap.
            if (counted is { } total && (long)total * 50 >= _count && Ordered(query.SortBy) is { } order)
            {
                var items = new List<PodSummary>(query.PageSize);
                var seen = 0;
                foreach (var pod in query.Descending ? order.Reverse() : order)
                {
                    if (!matches(pod))
                    {
                        continue;
                    }
                    if (seen++ >= skip)
                    {
                        items.Add(pod);
                        if (items.Count == query.PageSize)
                        {
                            break;
                        }
                    }
                }
                return new PodPage(items, total, null);
            }
            // The pass runs on a copy of the references, outside the lock: the writer (the change feed) never waits for it.
            // A name search copies only the pods whose names hold it, found in the clusters' name buffers (below).
            copied = 0;
            if (string.IsNullOrWhiteSpace(query.Search))
            {
                IEnumerable<IReadOnlyCollection<PodSummary>> sources = candidates is not null ? [candidates] : [.. Clusters(null, visible).Select(c => c.Pods)];
                copy = Copies.Rent(Math.Max(1, sources.Sum(c => c.Count)));
                foreach (var source in sources)
                {
                    foreach (var pod in source)
                    {
                        copy[copied++] = pod;
                    }
                }
                searched = null;
            }
            else
            {
                searched = Clusters(query.Cluster, visible);
                copy = Copies.Rent(Math.Max(1, searched.Sum(c => c.Count)));
            }
        }
        try
        {
            if (searched is not null)
            {
                // A name search collects the pods whose names hold it, a cluster at a time: the writer waits at most for one
                // cluster's names (a search that most names hold visits every pod, which over the whole fleet is not short).
                var search = query.Search!.Trim();
                var lowered = ClusterPods.Lowered(search);
                foreach (var cluster in searched)
                {
                    lock (_gate)
                    {
                        if (copied + cluster.Count > copy.Length)
                        {
                            var larger = Copies.Rent(copied + cluster.Count + (copy.Length / 2));
                            Array.Copy(copy, larger, copied);
                            Copies.Return(copy, clearArray: true);
                            copy = larger;
                        }
                        cluster.Search(search, lowered, copy, ref copied);
                    }
                }
            }
            var (page, count) = Pass(new ArraySegment<PodSummary>(copy, 0, copied), matches, query, skip);
            return new PodPage(page, counted ?? count, null);
        }
        finally
        {
            Copies.Return(copy, clearArray: true);
        }
    }

    /// <summary>One pass over <paramref name="sources"/>: how many match, and the page, from a heap of the first skip + size.</summary>
    private static (List<PodSummary> Page, int Count) Pass(ArraySegment<PodSummary> pods, Func<PodSummary, bool> matches, PodQuery query, int skip)
    {
        var order = Comparer(query.SortBy);
        var first = query.Descending ? Comparer<PodSummary>.Create((a, b) => order.Compare(b, a)) : order;
        var keep = skip + query.PageSize;
        // The heap's top is the last of the kept ones: a match before it takes its place.
        var heap = new PriorityQueue<PodSummary, PodSummary>(keep + 1, Comparer<PodSummary>.Create((a, b) => first.Compare(b, a)));
        var count = 0;
        foreach (var pod in pods)
        {
            if (!matches(pod))
            {
                continue;
            }
            count++;
            if (heap.Count < keep)
            {
                heap.Enqueue(pod, pod);
            }
            else if (keep > 0 && first.Compare(pod, heap.Peek()) < 0)
            {
                heap.EnqueueDequeue(pod, pod);
            }
        }
        var kept = new List<PodSummary>(heap.Count);
        while (heap.TryDequeue(out var pod, out _))
        {
            kept.Add(pod);
        }
        kept.Reverse();
        return ([.. kept.Skip(skip)], count);
    }

    /// <summary>The pods of <paramref name="cluster"/> (all clusters when null), of those <paramref name="visible"/> lets through.</summary>
    private List<ClusterPods> Clusters(string? cluster, Func<string, bool>? visible) =>
        [.. _byCluster.Where(c => (cluster is null || c.Key == cluster) && (visible is null || visible(c.Key))).Select(c => c.Value)];

    /// <summary>The STATUS values of the visible pods, for the page's status filter.</summary>
    public IReadOnlyList<string> Statuses(Func<string, bool>? visible = null)
    {
        lock (_gate)
        {
            return [.. _counts.Where(c => c.Value > 0 && (visible is null || visible(c.Key.Cluster))).Select(c => c.Key.Status).Distinct().Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Drops the orders no query used for <see cref="UnusedOrderLifetime"/>; a page refresh calls it now and then.</summary>
    public void Trim()
    {
        lock (_gate)
        {
            var stale = _time.GetUtcNow().UtcTicks - UnusedOrderLifetime.Ticks;
            foreach (var (sort, order) in _orders.Where(o => o.Value.LastUsedTicks < stale).ToList())
            {
                _orders.Remove(sort);
            }
        }
    }

    /// <summary>Which columns are kept in order now (the name always).</summary>
    public IReadOnlyCollection<PodSort> Orders
    {
        get
        {
            lock (_gate)
            {
                return [.. _orders.Keys];
            }
        }
    }

    private void Add(PodSummary pod)
    {
        if (!_byCluster.TryGetValue(pod.Cluster, out var cluster))
        {
            _byCluster[pod.Cluster] = cluster = new ClusterPods();
        }
        if (!cluster.Add(pod))
        {
            return;
        }
        Note(pod);
        _count++;
    }

    private void Remove(PodSummary pod)
    {
        if (!_byCluster.TryGetValue(pod.Cluster, out var cluster) || !cluster.Remove(pod))
        {
            return;
        }
        if (cluster.Count == 0)
        {
            _byCluster.Remove(pod.Cluster);
        }
        Forget(pod);
        _count--;
    }

    /// <summary>A pod changed but kept its cluster and name: it keeps its place among its cluster's names.</summary>
    private void Replace(PodSummary old, PodSummary current)
    {
        if (!_byCluster.TryGetValue(old.Cluster, out var cluster) || !cluster.Replace(old, current))
        {
            Add(current);
            return;
        }
        Forget(old);
        Note(current);
    }

    /// <summary>Puts the pod in every set but its cluster's.</summary>
    private void Note(PodSummary pod)
    {
        Set(_byStatus, pod.Status).Add(pod);
        var key = new CountKey(pod.Cluster, pod.Namespace, pod.Phase, pod.Status);
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
        foreach (var order in _orders.Values)
        {
            order.Pods.Add(pod);
        }
    }

    /// <summary>Takes the pod out of every set but its cluster's.</summary>
    private void Forget(PodSummary pod)
    {
        Set(_byStatus, pod.Status).Remove(pod);
        var key = new CountKey(pod.Cluster, pod.Namespace, pod.Phase, pod.Status);
        if (_counts[key] == 1)
        {
            _counts.Remove(key);
        }
        else
        {
            _counts[key]--;
        }
        foreach (var order in _orders.Values)
        {
            order.Pods.Remove(pod);
        }
    }

    private static HashSet<PodSummary> Set(Dictionary<string, HashSet<PodSummary>> sets, string key)
    {
        if (!sets.TryGetValue(key, out var set))
        {
            sets[key] = set = new HashSet<PodSummary>(Same);
        }
        return set;
    }

    /// <summary>The smallest set every match is in (a cluster's pods, a status's pods), or null for the whole fleet.</summary>
    private IReadOnlyCollection<PodSummary>? Candidates(PodQuery query, Func<string, bool>? visible)
    {
        IReadOnlyCollection<PodSummary>? smallest = null;
        void Consider(IReadOnlyCollection<PodSummary> set)
        {
            if (smallest is null || set.Count < smallest.Count)
            {
                smallest = set;
            }
        }
        if (query.Cluster is not null)
        {
            Consider(_byCluster.GetValueOrDefault(query.Cluster)?.Pods ?? []);
        }
        if (query.Status is not null)
        {
            Consider(_byStatus.GetValueOrDefault(query.Status) ?? []);
        }
        if (smallest is null && visible is not null)
        {
            var seen = _byCluster.Where(c => visible(c.Key)).Select(c => c.Value.Pods).ToList();
            if (seen.Sum(s => s.Count) <= SortedCandidatesLimit)
            {
                smallest = [.. seen.SelectMany(s => s)];
            }
        }
        return smallest;
    }

    /// <summary>How many pods match, from the counters, when the query filters only on what they count.</summary>
    private int? CountFromCounters(PodQuery query, Func<string, bool>? visible)
    {
        if (!string.IsNullOrWhiteSpace(query.Search) || query.Node is not null || !string.IsNullOrWhiteSpace(query.LabelSelector))
        {
            return null;
        }
        if (query.Cluster is null && query.Namespace is null && query.Phase is null && query.Status is null && visible is null)
        {
            return _count;
        }
        var total = 0;
        foreach (var (key, count) in _counts)
        {
            if ((query.Cluster is null || key.Cluster == query.Cluster) && (query.Namespace is null || key.Namespace == query.Namespace) &&
                (query.Phase is null || key.Phase == query.Phase) && (query.Status is null || key.Status == query.Status) &&
                (visible is null || visible(key.Cluster)))
            {
                total += count;
            }
        }
        return total;
    }

    /// <summary>
    /// The column's order when it is kept; else null, and it is built on another thread from a copy (sorting 450,000
    /// pods takes most of a second, which neither this query nor the writer should wait for) and then caught up
    /// with the changes made meanwhile.
    /// </summary>
    private SortedSet<PodSummary>? Ordered(PodSort sort)
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (_orders.TryGetValue(sort, out var order))
        {
            order.LastUsedTicks = sort == PodSort.Name ? long.MaxValue : now;
            return order.Pods;
        }
        if (!_building.ContainsKey(sort))
        {
            PodSummary[] pods = [.. _byCluster.Values.SelectMany(p => p.Pods)];
            // Build waits for this lock before it reads the entry: the entry is in place by then.
            _building[sort] = new Building(Task.Run(() => Build(sort, pods)));
        }
        return null;
    }

    private void Build(PodSort sort, PodSummary[] pods)
    {
        var set = new SortedSet<PodSummary>(pods, Comparer(sort));
        lock (_gate)
        {
            foreach (var (old, current) in _building[sort].Changes)
            {
                if (old is not null)
                {
                    set.Remove(old);
                }
                if (current is not null)
                {
                    set.Add(current);
                }
            }
            _building.Remove(sort);
            _orders[sort] = new Order(set, _time.GetUtcNow().UtcTicks);
        }
    }

    /// <summary>Completes when the orders being built now are kept (tests, benchmarks).</summary>
    public Task WhenOrdersBuiltAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll([.. _building.Values.Select(b => b.Done)]);
        }
    }

    /// <summary>
    /// The column's order, ties broken by cluster, namespace and name, so every pod has one place. Age puts the
    /// youngest first, as kubectl's AGE column reads top-down. Descending is this order read backwards.
    /// </summary>
    public static IComparer<PodSummary> Comparer(PodSort sort) => sort switch
    {
        PodSort.Cluster => Comparer<PodSummary>.Create(Place),
        PodSort.Namespace => Comparer<PodSummary>.Create((a, b) => Then(string.CompareOrdinal(a.Namespace, b.Namespace), a, b)),
        PodSort.Status => Comparer<PodSummary>.Create((a, b) => Then(string.CompareOrdinal(a.Status, b.Status), a, b)),
        PodSort.Node => Comparer<PodSummary>.Create((a, b) => Then(string.CompareOrdinal(a.NodeName ?? "", b.NodeName ?? ""), a, b)),
        PodSort.Restarts => Comparer<PodSummary>.Create((a, b) => Then(a.Restarts.CompareTo(b.Restarts), a, b)),
        PodSort.Age => Comparer<PodSummary>.Create((a, b) => Then(Nullable.Compare(b.CreatedAt, a.CreatedAt), a, b)),
        _ => Comparer<PodSummary>.Create((a, b) => Then(string.CompareOrdinal(a.Name, b.Name), a, b)),
    };

    private static int Then(int first, PodSummary a, PodSummary b) => first != 0 ? first : Place(a, b);

    private static int Place(PodSummary a, PodSummary b)
    {
        var order = string.CompareOrdinal(a.Cluster, b.Cluster);
        if (order == 0)
        {
            order = string.CompareOrdinal(a.Namespace, b.Namespace);
        }
        return order != 0 ? order : string.CompareOrdinal(a.Name, b.Name);
    }

    private readonly record struct CountKey(string Cluster, string Namespace, string Phase, string Status);

    private sealed class Order(SortedSet<PodSummary> pods, long lastUsedTicks)
    {
        public SortedSet<PodSummary> Pods => pods;

        public long LastUsedTicks { get; set; } = lastUsedTicks;
    }

    /// <summary>An order being built on another thread, and the changes made since its copy was taken.</summary>
    private sealed class Building(Task done)
    {
        public Task Done => done;

        public List<(PodSummary? Old, PodSummary? New)> Changes { get; } = [];
    }
}
