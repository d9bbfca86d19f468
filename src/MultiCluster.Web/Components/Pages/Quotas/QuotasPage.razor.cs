using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Components.Shared;
using MultiCluster.Web.Identity;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Web.Components.Pages.Quotas;

public sealed partial class QuotasPage
{
    private IReadOnlyList<QuotaPolicy>? _policies;
    private IReadOnlyList<QuotaPolicyRow> _rows = [];
    private int _tab;
    private PolicyChanges? _changes;

    [Inject]
    private QuotaPolicies Policies { get; set; } = default!;

    [Inject]
    private QuotaPolicySource Source { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;


    /// <summary><c>usage</c> opens the Usage tab.</summary>
    [SupplyParameterFromQuery(Name = "tab")]
    public string? TabParameter { get; set; }

    [SupplyParameterFromQuery(Name = "policy")]
    public string? PolicyParameter { get; set; }

    [SupplyParameterFromQuery(Name = "selector")]
    public string? SelectorParameter { get; set; }

    [SupplyParameterFromQuery(Name = "namespace")]
    public string? NamespaceParameter { get; set; }

    // Targets move as the engine judges them; the policies themselves are re-read when they change (PolicyChanges).
    protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.PolicyTarget);

    private bool CanManage => User.May(DashboardActions.ManageQuotas) == true;

    private IReadOnlyList<string> PolicyNames => [.. (_policies ?? []).Select(p => p.Name)];

    protected override void OnInitialized()
    {
        _tab = string.Equals(TabParameter, "usage", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        base.OnInitialized();
        _changes = new PolicyChanges(Source, () => InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        }));
    }

    protected override async Task OnInitializedAsync()
    {
        await base.OnInitializedAsync();
        await ReloadAsync();
    }

    protected override void Refresh() =>
        _rows = _policies is null ? [] : QuotaPolicyView.Rows(_policies, Policies.Targets(User));

    private async Task ReloadAsync()
    {
        _policies = await Policies.ListAsync(User);
        RefreshNow();
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        if (_changes is not null)
        {
            await _changes.DisposeAsync();
        }
    }

    private async Task CreateAsync()
    {
        if (await QuotaPolicyEditor.ShowAsync(Dialogs, User, null) is { } saved)
        {
            Snackbar.Add($"Created policy {saved.Name}; the engine writes its objects into every matching namespace.", Severity.Success);
            await ReloadAsync();
        }
    }
}
