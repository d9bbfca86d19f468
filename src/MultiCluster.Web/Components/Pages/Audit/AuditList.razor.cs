using Microsoft.AspNetCore.Components;
using MudBlazor;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Components.Pages.Audit;

public sealed partial class AuditList
{
    private static readonly (string Label, TimeSpan? Span)[] TimeRanges =
    [
        ("Any time", null),
        ("Last hour", TimeSpan.FromHours(1)),
        ("Last 24 hours", TimeSpan.FromDays(1)),
        ("Last 7 days", TimeSpan.FromDays(7)),
        ("Last 30 days", TimeSpan.FromDays(30)),
    ];

    private MudTable<AuditEntry>? _table;
    private string? _actor;
    private string? _action;
    private string? _cluster;
    private AuditOutcome? _outcome;
    private TimeSpan? _within;

    [Inject]
    private AuditLog Audit { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private async Task<TableData<AuditEntry>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var page = await Audit.SearchAsync(new AuditQuery
        {
            Actor = _actor,
            Action = _action,
            Cluster = _cluster,
            Outcome = _outcome,
            From = _within is { } within ? Time.GetUtcNow() - within : null,
            Skip = state.Page * state.PageSize,
            Take = state.PageSize,
        }, cancellationToken);
        return new TableData<AuditEntry> { Items = page.Entries, TotalItems = page.Total };
    }

    private Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;

    private static Color OutcomeColor(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Succeeded => Color.Success,
        AuditOutcome.Failed => Color.Error,
        _ => Color.Warning,
    };
}
