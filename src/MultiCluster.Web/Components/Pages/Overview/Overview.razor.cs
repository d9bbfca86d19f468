using System.Globalization;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;

namespace MultiCluster.Web.Components.Pages.Overview;

public sealed partial class Overview
{
    private IReadOnlyList<ClusterOverview> _rows = [];
    private string? _selector;
    private string? _selectorError;

    protected override FleetFilter Filter { get; } = FleetFilter.For(FleetKind.Cluster, FleetKind.Node, FleetKind.Pod, FleetKind.Event);

    // The figures are kept by the store as changes arrive; once a second is as often as they are worth reading.
    protected override TimeSpan RefreshInterval => TimeSpan.FromSeconds(1);

    protected override void Refresh()
    {
        var (selector, error) = LabelSelector.Parse(_selector);
        _selectorError = error;
        _rows = Fleet.Clusters()
            .Where(c => error is not null || selector.Matches(c.Labels))
            .OrderBy(c => c.Cluster, StringComparer.Ordinal)
            .Select(Fleet.Overview)
            .ToList();
    }

    private static string PhaseText(ClusterOverview row) =>
        string.Join(", ", row.PodsByPhase.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Value} {p.Key}"));

    private static string ShareText(double? share) =>
        share is { } s ? string.Create(CultureInfo.InvariantCulture, $"({s * 100:0}%)") : "";

    private static string? ShareClass(double? share) => share switch
    {
        > ClusterOverview.OverProvisioned => "share-over",
        < ClusterOverview.UnderProvisioned => "share-under",
        _ => null,
    };
}
