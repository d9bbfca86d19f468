using Microsoft.AspNetCore.Components;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Triage;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Web.Components.Fleet;

/// <summary>The navigation's count of open critical problems (not acknowledged, not snoozed), live.</summary>
public sealed partial class TriageCounter
{
    private int _count;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.Problem);

    protected override TimeSpan RefreshInterval => TimeSpan.FromSeconds(1);

    protected override void Refresh()
    {
        _count = TriageView.OpenCriticals(Fleet.All<ProblemGroup>(FleetKind.Problem), Time.GetUtcNow());
    }
}
