using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Web.Components.Pages.Clusters;

public sealed partial class ClusterDetail
{
    private List<BreadcrumbItem> _breadcrumbs = [];
    private ClusterSummary? _summary;
    private IReadOnlyList<NodeUsage> _nodes = [];
    private IReadOnlyList<PodSummary> _pods = [];
    private IReadOnlyList<NamespaceRow> _namespaces = [];
    private IReadOnlyList<EventSummary> _events = [];
    private IReadOnlyList<DeploymentSummary> _deployments = [];
    private IAsyncDisposable? _deploymentsLease;

    private static readonly string[] Tabs = ["nodes", "pods", "deployments", "namespaces", "events"];
    private int _activeTab;

    [Parameter]
    public string Cluster { get; set; } = "";

    /// <summary>The tab to open on (nodes, pods, deployments, namespaces, events), for links from other pages.</summary>
    [SupplyParameterFromQuery(Name = "tab")]
    public string? Tab { get; set; }

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private FleetWatcher Watcher { get; set; } = default!;

    protected override FleetFilter Filter =>
        new(new HashSet<FleetKind> { FleetKind.Cluster, FleetKind.Node, FleetKind.Pod, FleetKind.Namespace, FleetKind.Event, FleetKind.Deployment }, c => c == Cluster);

    protected override TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(500);

    // Deployments are not watched by default: this page has them watched while it is open.
    protected override async Task OnInitializedAsync()
    {
        await base.OnInitializedAsync();
        if (IsLive && Fleet.CanSee(Cluster))
        {
            _deploymentsLease = await Watcher.DemandAsync(Cluster, WatchedKinds.Deployments);
        }
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        if (_deploymentsLease is not null)
        {
            await _deploymentsLease.DisposeAsync();
        }
    }

    protected override void OnParametersSet()
    {
        _breadcrumbs = [new("Clusters", "/clusters"), new(Cluster, null, disabled: true)];
        _activeTab = Math.Max(0, Array.IndexOf(Tabs, Tab?.ToLowerInvariant()));
        RefreshNow();
    }

    protected override void Refresh()
    {
        _summary = Fleet.Cluster(Cluster);
        var pods = Fleet.All<PodSummary>(FleetKind.Pod, Cluster).ToList();
        _nodes = NodeUsage.Of(Fleet.All<NodeSummary>(FleetKind.Node, Cluster), pods);
        _pods = [.. pods.OrderBy(p => p.Status == "Running" || p.Status == "Completed" ? 1 : 0)
            .ThenBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)];
        var perNamespace = pods.CountBy(p => p.Namespace).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        _namespaces = [.. Fleet.All<NamespaceSummary>(FleetKind.Namespace, Cluster)
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new NamespaceRow(n, perNamespace.GetValueOrDefault(n.Name)))];
        _events = [.. Fleet.All<EventSummary>(FleetKind.Event, Cluster).OrderByDescending(e => e.LastSeen)];
        _deployments = [.. Fleet.All<DeploymentSummary>(FleetKind.Deployment, Cluster)
            .OrderBy(d => d.ReadyReplicas >= d.Replicas ? 1 : 0).ThenBy(d => d.Namespace, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal)];
    }

    private sealed record NamespaceRow(NamespaceSummary Namespace, int Pods);
}
