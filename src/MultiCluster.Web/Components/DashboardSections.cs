using MudBlazor;

namespace MultiCluster.Web.Components;

/// <summary>A section of the dashboard as DESIGN.md lists them, for the navigation.</summary>
/// <param name="Action">What a user must be allowed (<see cref="Identity.DashboardActions"/>) to see the section in the navigation.</param>
public sealed record DashboardSection(string Title, string Href, string Icon, string Action = Identity.DashboardActions.ReadFleet);

public static class DashboardSections
{
    public static IReadOnlyList<DashboardSection> All { get; } =
    [
        new("Overview", "/", Icons.Material.Filled.Dashboard),
        new("Clusters", "/clusters", Icons.Material.Filled.Hub),
        new("Pods", "/pods", Icons.Material.Filled.ViewInAr),
        new("Triage", "/triage", Icons.Material.Filled.ReportProblem),
        new("Quotas", "/quotas", Icons.Material.Filled.Speed),
        new("Access", "/access", Icons.Material.Filled.Security, Identity.DashboardActions.AdministerTeam),
        new("Virtual clusters", "/virtual-clusters", Icons.Material.Filled.Layers),
        new("Audit", "/audit", Icons.Material.Filled.History, Identity.DashboardActions.ReadAudit),
    ];
}
