using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Components.Shared;
using MultiCluster.Web.Identity;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Web.Components.Pages.Quotas;

/// <summary>One quota policy: what it selects and writes, and how each of its targets stands, live.</summary>
public sealed partial class QuotaPolicyDetail
{
    private QuotaPolicy? _policy;
    private IReadOnlyList<string> _meetings = [];
    private bool _loaded;
    private IReadOnlyList<PolicyTarget> _all = [];
    private IReadOnlyList<StatusCount> _counts = [];
    private DateTimeOffset _now;
    private PolicyChanges? _changes;

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    private QuotaPolicies Policies { get; set; } = default!;

    [Inject]
    private QuotaPolicySource Source { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;


    protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.PolicyTarget);

    private bool CanManage => User.May(DashboardActions.ManageQuotas) == true;

    protected override void OnInitialized()
    {
        base.OnInitialized();
        // Edited or deleted elsewhere (another Administrator, the API): the summary follows.
        _changes = new PolicyChanges(Source, () => InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        }));
    }

    protected override async ValueTask DisposeCoreAsync()
    {
        if (_changes is not null)
        {
            await _changes.DisposeAsync();
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        await ReloadAsync();
    }

    protected override void Refresh()
    {
        _now = Time.GetUtcNow();
        _all = !_loaded ? [] : [.. Policies.Targets(User, Name)];
        _counts = QuotaPolicyView.Count(_all);
    }

    private async Task ReloadAsync()
    {
        _policy = await Policies.FindAsync(User, Name);
        _meetings = _policy is null ? [] : QuotaPolicyView.MeetingsText(Name, await Policies.MeetingsAsync(User, Name));
        _loaded = true;
        RefreshNow();
    }

    // A Conflict is an object the dashboard did not write: a repair would leave it alone too, so none is offered.
    private bool NeedsRepair(PolicyTarget target) =>
        CanManage && target.Mode == PolicyMode.Inform && target.Status is not (TargetStatus.InSync or TargetStatus.Conflict);

    private void Repair(PolicyTarget target)
    {
        var problem = Policies.Repair(User, Name, target.Cluster, target.Namespace ?? "");
        Snackbar.Add(problem ?? $"Writing {QuotaPolicy.ObjectNameOf(Name)} into {target.Cluster}/{target.Namespace} once; the row turns InSync when it is done.",
            problem is null ? Severity.Info : Severity.Error);
    }

    private async Task EditAsync()
    {
        if (await QuotaPolicyEditor.ShowAsync(Dialogs, User, _policy) is { } saved)
        {
            Snackbar.Add($"Saved policy {saved.Name} (generation {saved.Generation}).", Severity.Success);
            await ReloadAsync();
        }
    }

    private async Task DeleteAsync()
    {
        var policy = _policy!;
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Delete policy {policy.Name}?", QuotaPolicyView.DeleteQuestion(policy, _all),
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }
        var problem = await Policies.DeleteAsync(User, policy.Name);
        if (problem is not null)
        {
            Snackbar.Add(problem, Severity.Error);
            await ReloadAsync();
            return;
        }
        Snackbar.Add($"Deleted policy {policy.Name}; its objects leave the clusters as the engine gets to them.", Severity.Success);
        Navigation.NavigateTo("/quotas");
    }
}
