using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Identity;
using MultiCluster.Web.Triage;
using Severity = MultiCluster.Core.Triage.Severity;

namespace MultiCluster.Web.Components.Pages.Triage;

public sealed partial class TriagePage
{
    private const int PageSize = 100;

    private readonly Filters _filters = new();
    private readonly HashSet<string> _expanded = new(StringComparer.Ordinal);
    private TriageGrouping _grouping;
    private IReadOnlyList<ProblemGroup> _rows = [];
    private IReadOnlyList<Section> _sections = [];
    private IReadOnlyList<string> _kinds = [];
    private (int Critical, int Warning, int Info) _counts;
    private int _total;
    private int _shown = PageSize;
    private string? _selectorError;
    private DateTimeOffset _now;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ProblemAcknowledgements Acknowledgements { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;


    [SupplyParameterFromQuery(Name = "cluster")]
    public string? ClusterParameter { get; set; }

    [SupplyParameterFromQuery(Name = "selector")]
    public string? SelectorParameter { get; set; }

    [SupplyParameterFromQuery(Name = "namespace")]
    public string? NamespaceParameter { get; set; }

    [SupplyParameterFromQuery(Name = "severity")]
    public string? SeverityParameter { get; set; }

    [SupplyParameterFromQuery(Name = "kind")]
    public string? KindParameter { get; set; }

    [SupplyParameterFromQuery(Name = "group")]
    public string? GroupParameter { get; set; }

    protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.Problem, FleetKind.Cluster);

    protected override void OnInitialized()
    {
        _filters.Cluster = ClusterParameter;
        _filters.Selector = SelectorParameter;
        _filters.Namespace = NamespaceParameter;
        _filters.Severity = Enum.TryParse<Severity>(SeverityParameter, ignoreCase: true, out var severity) ? severity : null;
        _filters.Kind = KindParameter;
        _grouping = Enum.TryParse<TriageGrouping>(GroupParameter, ignoreCase: true, out var grouping) ? grouping : TriageGrouping.None;
        base.OnInitialized();
    }

    protected override void Refresh()
    {
        _now = Time.GetUtcNow();
        var visible = Fleet.All<ProblemGroup>(FleetKind.Problem).ToList();
        _total = visible.Count;
        (_rows, _selectorError) = TriageView.Rows(visible, c => Fleet.Cluster(c)?.Labels, _filters.ToQuery(), _now);
        _counts = (_rows.Count(r => r.Severity == Severity.Critical), _rows.Count(r => r.Severity == Severity.Warning), _rows.Count(r => r.Severity == Severity.Info));
        _kinds = [.. visible.Select(TriageView.KindOf).Union(visible.Select(r => r.ObjectKind)).Distinct().Order(StringComparer.Ordinal)];
        var page = _rows.Take(_shown);
        _sections = _grouping == TriageGrouping.None
            ? [new Section("", [.. page])]
            : [.. page.GroupBy(r => TriageView.SectionOf(r, _grouping)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new Section(g.Key, [.. g]))];
    }

    private void ShowMore()
    {
        _shown += PageSize;
        RefreshNow();
    }

    private void Toggle(ProblemGroup row)
    {
        if (!_expanded.Remove(row.Id))
        {
            _expanded.Add(row.Id);
        }
    }

    private async Task AcknowledgeAsync(ProblemGroup row)
    {
        var parameters = new DialogParameters<AcknowledgeDialog> { { d => d.Row, row } };
        var dialog = await Dialogs.ShowAsync<AcknowledgeDialog>($"Acknowledge {row.Reason} {row.Name}", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: string done })
        {
            Snackbar.Add(done, MudBlazor.Severity.Success);
            RefreshNow();
        }
    }

    private async Task UnacknowledgeAsync(ProblemGroup row)
    {
        var problem = await Acknowledgements.UnacknowledgeAsync(User, row.Cluster, row.Key);
        Snackbar.Add(problem ?? $"{row.Reason} {row.Name} is open again.", problem is null ? MudBlazor.Severity.Info : MudBlazor.Severity.Error);
        RefreshNow();
    }

    private async Task CopyAsync(ProblemGroup row)
    {
        try
        {
            await JS.InvokeVoidAsync("navigator.clipboard.writeText", TriageCommands.For(row));
            Snackbar.Add("Copied the kubectl command.", MudBlazor.Severity.Normal);
        }
        catch (JSException)
        {
            Snackbar.Add("The browser did not allow copying; select the command under the problem instead.", MudBlazor.Severity.Warning);
        }
    }

    private sealed record Section(string Title, IReadOnlyList<ProblemGroup> Rows);

    /// <summary>What the filter fields are bound to.</summary>
    private sealed class Filters
    {
        public string? Cluster { get; set; }

        public string? Selector { get; set; }

        public string? Namespace { get; set; }

        public Severity? Severity { get; set; }

        public string? Kind { get; set; }

        public bool IncludeSnoozed { get; set; }

        public TriageQuery ToQuery() => new()
        {
            Cluster = Cluster, ClusterSelector = Selector, Namespace = Namespace, Severity = Severity, Kind = Kind, IncludeSnoozed = IncludeSnoozed,
        };
    }
}
