using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.VirtualClusters;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Triage;
using MultiCluster.Web.Identity;
using MultiCluster.Web.VirtualClusters;

namespace MultiCluster.Web.Components.Pages.VirtualClusters;

/// <summary>
/// Every vCluster on every host the person sees, paused ones too, live; create, pause and resume (as the vcluster CLI does),
/// delete, register as a cluster and connect. Buttons follow the person's role on each host; the service checks again.
/// </summary>
public sealed partial class VirtualClustersPage
{
    private IReadOnlyList<VirtualClusterRow> _all = [];
    private IReadOnlyList<VirtualClusterRow> _rows = [];
    private IReadOnlyList<string> _hosts = [];
    private readonly HashSet<string> _busy = new(StringComparer.Ordinal);
    private VirtualClusterQuery _query = new();
    private string? _search;
    private string? _host;
    private DateTimeOffset _now;
    private IReadOnlyList<ClusterSummary> _createHosts = [];

    [Inject]
    private VirtualClusterService Service { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private TriageOptions Triage { get; set; } = default!;

    // Pods too: a vCluster's status is its pod's (Pending, Running, CrashLoopBackOff …), which its StatefulSet does not always
    // show. The store's filter picks clusters, not kinds per cluster, so every pod change marks the page; a refresh only
    // looks up each vCluster's pod and quota by key, so following them costs a few lookups per vCluster twice a second.
    protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.VirtualCluster, FleetKind.Cluster, FleetKind.ResourceQuota, FleetKind.Pod);

    protected override TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(500);

    /// <summary>Why the person may not create a vCluster here; null when they may.</summary>
    private string? CreateRefusal { get; set; }

    protected override void Refresh()
    {
        _now = Time.GetUtcNow();
        // The hosts the create dialog offers: visible, the person may manage vClusters there, and not vClusters themselves.
        _createHosts = [.. Fleet.Clusters()
            .Where(c => c.Labels.GetValueOrDefault(VirtualClusterLabels.VirtualCluster) != "true" && Fleet.May(DashboardActions.ManageVirtualClusters, c.Cluster))
            .OrderBy(c => c.Cluster, StringComparer.Ordinal)];
        CreateRefusal =
            !Fleet.MayAnywhere(DashboardActions.ManageVirtualClusters) ? "Creating a vCluster needs the Administrator or Operator role on a host cluster."
            : _createHosts.Count == 0 ? "No cluster you may manage can host a vCluster (a vCluster does not host another)."
            : null;
        _all = VirtualClusterView.Rows(Fleet);
        _hosts = [.. _all.Select(r => r.Host).Append(_host).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _rows = _query.Run(_all);
    }

    private void Apply()
    {
        _query = _query with { Search = _search, Host = _host };
        RefreshNow();
    }

    private void SortBy(VirtualClusterSort sort)
    {
        _query = _query.SortedBy(sort);
        RefreshNow();
    }

    private string AriaSort(VirtualClusterSort sort) => _query.Sort != sort ? "none" : _query.Descending ? "descending" : "ascending";

    private string? SortIcon(VirtualClusterSort sort) =>
        _query.Sort != sort ? null : _query.Descending ? Icons.Material.Filled.ArrowDownward : Icons.Material.Filled.ArrowUpward;

    private async Task CreateAsync()
    {
        if (await CreateVirtualClusterDialog.ShowAsync(Dialogs, User, _createHosts) is { } created)
        {
            Snackbar.Add($"vCluster {created.Name} runs on {created.Host} and is registered as cluster {created.Cluster}.", Severity.Success);
            RefreshNow();
        }
    }

    private async Task PauseAsync(VirtualClusterRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Pause {row.Name}?",
            $"Pausing stops vCluster {row.Name}'s control plane and deletes its workloads' pods on the host; its objects are kept and come back on resume.",
            yesText: "Pause", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(row, () => Service.PauseAsync(User, row.Host, row.Namespace, row.Name),
                _ => $"Paused vCluster {row.Name} on {row.Host}; its pods there are being deleted.");
        }
    }

    private Task ResumeAsync(VirtualClusterRow row) =>
        RunAsync(row, () => Service.ResumeAsync(User, row.Host, row.Namespace, row.Name),
            _ => $"Resumed vCluster {row.Name} on {row.Host}; its control plane is starting.");

    private Task ManageAsync(VirtualClusterRow row) =>
        RunAsync(row, () => Service.ManageAsync(User, row.Host, row.Namespace, row.Name),
            outcome => $"vCluster {row.Name} is registered as cluster {outcome.Cluster}; the dashboard watches it now.");

    private async Task DeleteAsync(VirtualClusterRow row)
    {
        if (await DeleteVirtualClusterDialog.ShowAsync(Dialogs, User, row))
        {
            Snackbar.Add(row.RegisteredAs is { } cluster
                ? $"Deleted vCluster {row.Name} from {row.Host} and removed cluster {cluster}."
                : $"Deleted vCluster {row.Name} from {row.Host}.", Severity.Success);
            RefreshNow();
        }
    }

    /// <summary>Runs one row's action with its buttons disabled meanwhile, and says how it went.</summary>
    private async Task RunAsync(VirtualClusterRow row, Func<Task<VirtualClusterOutcome>> action, Func<VirtualClusterOutcome, string> done)
    {
        if (!_busy.Add(row.Key))
        {
            return;
        }
        try
        {
            StateHasChanged();
            var outcome = await action();
            Snackbar.Add(outcome.Problem ?? done(outcome), outcome.Succeeded ? Severity.Success : Severity.Error);
        }
        finally
        {
            _busy.Remove(row.Key);
            RefreshNow();
        }
    }
}
