using MudBlazor;

namespace MultiCluster.Web.Components;

/// <summary>A section of the dashboard as DESIGN.md lists them, and what brings it while it is not built yet.</summary>
/// <param name="ComingWith">What brings the section while it is a placeholder; null once its page is built.</param>
/// <param name="Action">What a user must be allowed (<see cref="Identity.DashboardActions"/>) to see the section in the navigation.</param>
public sealed record DashboardSection(string Title, string Href, string Icon, string? ComingWith, string Action = Identity.DashboardActions.ReadFleet);

public static class DashboardSections
{
    public static IReadOnlyList<DashboardSection> All { get; } =
    [
        new("Overview", "/", Icons.Material.Filled.Dashboard, null),
        new("Clusters", "/clusters", Icons.Material.Filled.Hub, null),
        new("Pods", "/pods", Icons.Material.Filled.ViewInAr, null),
        new("Triage", "/triage", Icons.Material.Filled.ReportProblem, null),
        new("Quotas", "/quotas", Icons.Material.Filled.Speed, null),
        new("Access", "/access", Icons.Material.Filled.Security, null, Identity.DashboardActions.AdministerTeam),
        new("Virtual clusters", "/virtual-clusters", Icons.Material.Filled.Layers,
            "vClusters on every host, with pause and resume, come with virtual clusters."),
        new("Audit", "/audit", Icons.Material.Filled.History, null, Identity.DashboardActions.ReadAudit),
    ];

    public static DashboardSection? ForPath(string path)
    {
        var normalized = "/" + path.Trim('/');
        return All.FirstOrDefault(s => string.Equals(s.Href, normalized, StringComparison.OrdinalIgnoreCase));
    }
}
