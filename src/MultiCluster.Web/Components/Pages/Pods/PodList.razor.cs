using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Fleet;

namespace MultiCluster.Web.Components.Pages.Pods;

public sealed partial class PodList
{
    private static readonly string[] Phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];

    private readonly PodFilters _query = new();
    private PodTable? _table;
    private PodTableState _tableState = PodTableState.Nothing;
    private PodSort _sort = PodSort.Name;
    private bool _descending;
    private int _page;
    private int _pageSize = 50;
    private IReadOnlyList<string> _clusters = [];
    private IReadOnlyList<string> _statuses = [];
    private IReadOnlyList<ClusterProblem> _unhealthy = [];
    private string? _problem;
    private bool _pageChanged = true;

    // Rows show ages ("5m"). A refresh that finds its rows unchanged still reloads them when they were read longer ago
    // than this, so an age on screen is at most this old whenever changes keep arriving. (With no change there is no
    // refresh at all, as before.)
    private static readonly TimeSpan AgesMoveOn = TimeSpan.FromSeconds(15);

    // Replaced whole on the renderer's context, read by Concerns on the subscription's: the query on screen and its rows,
    // and every cluster as it was when the page last read (ShownClusters).
    private volatile Shown _shown = Shown.Nothing;
    private volatile ShownClusters _shownClusters = ShownClusters.Nothing;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    // Every cluster, seen or not, for what concerns the page (a cluster's labels decide who sees it).
    [Inject]
    private FleetStateStore Store { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "cluster")]
    public string? ClusterParameter { get; set; }

    [SupplyParameterFromQuery(Name = "status")]
    public string? StatusParameter { get; set; }

    [SupplyParameterFromQuery(Name = "namespace")]
    public string? NamespaceParameter { get; set; }

    protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.Pod, FleetKind.Cluster);

    // A query reads the store's pod index (a page and a count, no pass over every pod), and only changes that can
    // alter the page on screen start one: twice a second keeps a new pod on screen well within 2 s of the cluster having it.
    protected override TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(500);

    protected override void OnInitialized()
    {
        _query.Cluster = ClusterParameter;
        _query.Status = StatusParameter;
        _query.Namespace = NamespaceParameter;
        base.OnInitialized();
    }

    protected override void Refresh()
    {
        // What the clusters were before the page reads them: a change made meanwhile still concerns the page.
        _shownClusters = new ShownClusters(Store.Clusters());
        IReadOnlyList<string> clusters = Fleet.Names;
        // One broken cluster never breaks the page: its pods are simply not (or no longer) known, and it says so.
        IReadOnlyList<ClusterProblem> unhealthy = [.. Fleet.Clusters().Where(c => c.Health != ClusterHealth.Synced)
            .OrderBy(c => c.Cluster, StringComparer.Ordinal).Select(c => new ClusterProblem(c.Cluster, c.Health, c.Problem))];
        var statuses = Fleet.PodStatuses();
        _pageChanged = !IsLiveRefresh || !clusters.SequenceEqual(_clusters) || !unhealthy.SequenceEqual(_unhealthy) || !statuses.SequenceEqual(_statuses);
        (_clusters, _unhealthy, _statuses) = (clusters, unhealthy, statuses);
        // Under churn most ticks change nothing on screen (another page of pods, or pods off the page): the page
        // renders only when its rows or its count differ, or its ages are due to move on.
        var query = Query();
        var shown = _shown;
        var page = Fleet.Pods(query);
        if (!IsLiveRefresh || shown == Shown.Nothing || Time.GetUtcNow() - shown.At > AgesMoveOn ||
            page.Total != _tableState.Total || page.Problem != _problem || !page.Items.SequenceEqual(_tableState.Rows) || NoRows(page.Problem) != _tableState.NoRows)
        {
            Show(query, page);
            // The page renders the table with itself; when only the rows changed, the table renders alone.
            if (IsLiveRefresh && !_pageChanged)
            {
                _table?.Show(_tableState);
            }
        }
    }

    protected override bool RenderAfterLiveRefresh => _pageChanged;

    private PodQuery Query() => new()
    {
        Search = _query.Search,
        Cluster = _query.Cluster,
        Namespace = string.IsNullOrWhiteSpace(_query.Namespace) ? null : _query.Namespace.Trim(),
        Phase = _query.Phase,
        Status = _query.Status,
        Node = string.IsNullOrWhiteSpace(_query.Node) ? null : _query.Node.Trim(),
        LabelSelector = _query.LabelSelector,
        SortBy = _sort,
        Descending = _descending,
        Page = _page,
        PageSize = _pageSize,
    };

    private void Show(PodQuery query, PodPage page)
    {
        if (page.Items.Count == 0 && query.Page > 0)
        {
            // Fewer pods than before the page on screen (a filter, deletes): the last page that has some.
            _page = PodTableState.LastPageOf(page.Total, query.PageSize);
            query = query with { Page = _page };
            page = Fleet.Pods(query);
        }
        _problem = page.Problem;
        _tableState = new PodTableState(page.Items, page.Total, query.Page, query.PageSize, query.SortBy, query.Descending, NoRows(page.Problem));
        var (selector, _) = Core.LabelSelector.Parse(query.LabelSelector);
        _shown = new Shown(query, query.Matcher(selector, Fleet.PodVisibility), [.. page.Items.Select(p => (p.Cluster, p.Key))], Time.GetUtcNow());
    }

    /// <summary>What the table says when no row shows.</summary>
    private string NoRows(string? problem) =>
        problem is not null ? "Fix the label selector to see pods."
        : Fleet.Count(FleetKind.Pod) == 0 ? "No pods yet: register a cluster, or wait for its first list." : "No pod matches these filters.";

    /// <summary>A click on a column: sorted by it ascending, or the other way round when it sorts already; back to the first page.</summary>
    private void SortBy(PodSort sort)
    {
        (_descending, _sort, _page) = (_sort == sort && !_descending, sort, 0);
        RefreshNow();
    }

    private void GoTo(int page)
    {
        _page = Math.Clamp(page, 0, _tableState.LastPage);
        RefreshNow();
    }

    private void PageSizeChanged(int size)
    {
        (_pageSize, _page) = (size, 0);
        RefreshNow();
    }

    protected override bool Concerns(FleetBatch batch)
    {
        if (batch.IsSnapshot)
        {
            return true;
        }
        var shown = _shown;
        var clusters = _shownClusters;
        foreach (var change in batch.Changes)
        {
            if (change.Kind == FleetKind.Cluster)
            {
                if (clusters.Changes(change))
                {
                    return true;
                }
                continue;
            }
            if (change.Kind != FleetKind.Pod || shown.Keys.Contains((change.Cluster, change.Key)))
            {
                return true;
            }
            if (change.Object is PodSummary pod ? shown.Matches(pod) : MayConcern(shown.Query, change.Cluster, change.Key))
            {
                return true;
            }
        }
        return false;
    }

    private static bool MayConcern(PodQuery query, string cluster, string key)
    {
        var (ns, name) = FleetKeys.Split(key);
        return query.MayConcern(cluster, ns, name);
    }

    /// <summary>A filter changed: its first page.</summary>
    private void Reload()
    {
        _page = 0;
        RefreshNow();
    }

    /// <summary>What the page says of a cluster that is not Synced.</summary>
    private sealed record ClusterProblem(string Cluster, ClusterHealth Health, string? Problem);

    /// <summary>The query on screen, for Concerns: its filter, the rows' keys (the rows themselves are the table's state) and when they were read.</summary>
    private sealed record Shown(PodQuery Query, Func<PodSummary, bool> Matches, HashSet<(string Cluster, string Key)> Keys, DateTimeOffset At)
    {
        public static readonly Shown Nothing = new(new PodQuery(), _ => true, [], DateTimeOffset.MinValue);
    }

    /// <summary>What the filter fields are bound to.</summary>
    private sealed class PodFilters
    {
        public string? Search { get; set; }

        public string? Cluster { get; set; }

        public string? Namespace { get; set; }

        public string? Phase { get; set; }

        public string? Status { get; set; }

        public string? Node { get; set; }

        public string? LabelSelector { get; set; }
    }
}
