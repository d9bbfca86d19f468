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
    private MudTable<PodSummary>? _table;
    private IReadOnlyList<string> _clusters = [];
    private IReadOnlyList<string> _statuses = [];
    private IReadOnlyList<ClusterSummary> _unhealthy = [];
    private string? _problem;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "cluster")]
    public string? ClusterParameter { get; set; }

    [SupplyParameterFromQuery(Name = "status")]
    public string? StatusParameter { get; set; }

    [SupplyParameterFromQuery(Name = "namespace")]
    public string? NamespaceParameter { get; set; }

    protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.Pod, FleetKind.Cluster);

    // Filtering and sorting every pod of a large fleet costs milliseconds: twice a second keeps a new pod
    // on screen well within 2 s of the cluster having it.
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
        _clusters = Fleet.Names;
        // One broken cluster never breaks the page: its pods are simply not (or no longer) known, and it says so.
        _unhealthy = [.. Fleet.Clusters().Where(c => c.Health != ClusterHealth.Synced).OrderBy(c => c.Cluster, StringComparer.Ordinal)];
        _statuses = [.. Fleet.All<PodSummary>(FleetKind.Pod).Select(p => p.Status).Distinct().Order(StringComparer.Ordinal)];
        _table?.ReloadServerData();
    }

    private void Reload() => RefreshNow();

    private Task<TableData<PodSummary>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var query = new PodQuery
        {
            Search = _query.Search,
            Cluster = _query.Cluster,
            Namespace = string.IsNullOrWhiteSpace(_query.Namespace) ? null : _query.Namespace.Trim(),
            Phase = _query.Phase,
            Status = _query.Status,
            Node = string.IsNullOrWhiteSpace(_query.Node) ? null : _query.Node.Trim(),
            LabelSelector = _query.LabelSelector,
            SortBy = Enum.TryParse<PodSort>(state.SortLabel, out var sort) ? sort : PodSort.Name,
            Descending = state.SortDirection == SortDirection.Descending,
            Page = state.Page,
            PageSize = state.PageSize,
        };
        var page = query.Run(Fleet.All<PodSummary>(FleetKind.Pod));
        _problem = page.Problem;
        return Task.FromResult(new TableData<PodSummary> { Items = page.Items, TotalItems = page.Total });
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
