namespace MultiCluster.Data;

/// <summary>The dashboard's own roles (what a user may see and do in the dashboard; clusters' RBAC still decides in the cluster).</summary>
public static class DashboardRoles
{
    public const string Administrator = "Administrator";
    public const string Viewer = "Viewer";

    public static IReadOnlyList<string> All { get; } = [Administrator, Viewer];

    /// <summary>For <c>[Authorize(Roles = …)]</c>: any dashboard role.</summary>
    public const string Any = Administrator + "," + Viewer;
}
