using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Components.Fleet;

/// <summary>The navigation's count of open critical problems (not acknowledged, not snoozed), live.</summary>
public sealed partial class TriageCounter
{
    private ClaimsPrincipal? _user;
    private int _count;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.Problem);

    protected override TimeSpan RefreshInterval => TimeSpan.FromSeconds(1);

    protected override async Task OnInitializedAsync()
    {
        _user = AuthenticationState is null ? null : (await AuthenticationState).User;
        RefreshNow();
    }

    protected override void Refresh()
    {
        var user = _user;
        _count = user is null ? 0 : TriageView.OpenCriticals(Store.All<ProblemGroup>(FleetKind.Problem).VisibleTo(user), Time.GetUtcNow());
    }
}
