using Microsoft.AspNetCore.Components;
using MultiCluster.Core.Reconcile;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Web.Components.Shared;

/// <summary>
/// One owner's targets as a table with its own filters and paging; the page that owns it keeps the targets live and
/// gives it a new <c>@key</c> when the owner changes, so filters start afresh.
/// </summary>
public sealed partial class PolicyTargetTable
{
    private const int PageSize = 100;

    private readonly HashSet<string> _expanded = new(StringComparer.Ordinal);
    private IReadOnlyList<PolicyTarget> _rows = [];
    private IReadOnlyList<string> _clusters = [];
    private string? _cluster;
    private string? _namespace;
    private TargetStatus? _status;
    private int _shown = PageSize;

    /// <summary>Every target of the owner the user may see.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<PolicyTarget> Targets { get; set; } = [];

    /// <summary>The section showing the table (<c>quota</c>, <c>access</c>), prefixing its test ids.</summary>
    [Parameter, EditorRequired]
    public string Area { get; set; } = "";

    [Parameter]
    public DateTimeOffset Now { get; set; }

    /// <summary>What to say when the owner has no target at all (a heading and what to do).</summary>
    [Parameter, EditorRequired]
    public RenderFragment? Empty { get; set; }

    /// <summary>Whether a target's row offers a repair; none when not given.</summary>
    [Parameter]
    public Func<PolicyTarget, bool>? CanRepair { get; set; }

    [Parameter]
    public EventCallback<PolicyTarget> OnRepair { get; set; }

    protected override void OnParametersSet() => Apply();

    private void Apply()
    {
        _clusters = [.. Targets.Select(t => t.Cluster).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _rows = new QuotaTargetQuery { Cluster = _cluster, Namespace = _namespace, Status = _status }.Apply(Targets);
    }

    private void Filtered()
    {
        _shown = PageSize;
        Apply();
    }

    private void ShowMore() => _shown += PageSize;

    private static string Id(PolicyTarget target) => $"{target.Cluster}/{target.Namespace}";

    private void Toggle(PolicyTarget target)
    {
        if (!_expanded.Remove(Id(target)))
        {
            _expanded.Add(Id(target));
        }
    }
}
