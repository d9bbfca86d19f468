using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Triage;
using MultiCluster.Web.Identity;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Web.Components.Pages.Quotas;

/// <summary>Every ResourceQuota of the visible clusters (the dashboard's or not) with its usage against its hard limits, live.</summary>
public sealed partial class QuotaUsage
{
    private const int PageSize = 100;

    private QuotaUsageQuery _query = new();
    private IReadOnlyList<QuotaUsageRow> _rows = [];
    private string? _selector;
    private string? _namespace;
    private string? _policy;
    private string? _selectorError;
    private int _total;
    private int _shown = PageSize;

    [Inject]
    private TriageOptions Triage { get; set; } = default!;

    /// <summary>The stored policies' names, for the policy filter and links.</summary>
    [Parameter]
    public IReadOnlyList<string> Policies { get; set; } = [];

    /// <summary>The filters to start with (from the page's query).</summary>
    [Parameter]
    public string? Policy { get; set; }

    [Parameter]
    public string? Selector { get; set; }

    [Parameter]
    public string? Namespace { get; set; }

    protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.ResourceQuota, FleetKind.Cluster);

    protected override TimeSpan RefreshInterval => TimeSpan.FromMilliseconds(500);

    protected override void OnInitialized()
    {
        (_selector, _namespace, _policy) = (Selector, Namespace, Policy);
        _query = _query with { ClusterSelector = _selector, Namespace = _namespace, Policy = _policy };
        base.OnInitialized();
    }

    protected override void Refresh()
    {
        var quotas = Fleet.All<QuotaSummary>(FleetKind.ResourceQuota).ToList();
        _total = quotas.Sum(q => q.Resources.Count);
        (_rows, _selectorError) = _query.Run(quotas, c => Fleet.Cluster(c)?.Labels, Triage.Thresholds.QuotaWarning);
    }

    private void Apply()
    {
        _query = _query with { ClusterSelector = _selector, Namespace = _namespace, Policy = _policy };
        _shown = PageSize;
        RefreshNow();
    }

    private void SortBy(QuotaUsageSort sort)
    {
        _query = _query.SortedBy(sort);
        RefreshNow();
    }

    private void ShowMore()
    {
        _shown += PageSize;
        RefreshNow();
    }

    private string AriaSort(QuotaUsageSort sort) => _query.Sort != sort ? "none" : _query.Descending ? "descending" : "ascending";

    private string? SortIcon(QuotaUsageSort sort) =>
        _query.Sort != sort ? null : _query.Descending ? Icons.Material.Filled.ArrowDownward : Icons.Material.Filled.ArrowUpward;

    private static string Percent(QuotaUsageRow row) =>
        row.Fraction is { } share ? string.Create(CultureInfo.InvariantCulture, $"{share * 100:0}%") : "–";

    private static Color ColorOf(UsageLevel level) => level switch
    {
        UsageLevel.Full => Color.Error,
        UsageLevel.Warning => Color.Warning,
        _ => Color.Success,
    };

    private static string? RowStyle(UsageLevel level) => level switch
    {
        UsageLevel.Full => "background-color: var(--mud-palette-error-hover)",
        UsageLevel.Warning => "background-color: var(--mud-palette-warning-hover)",
        _ => null,
    };
}
