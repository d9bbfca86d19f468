namespace MultiCluster.Data;

/// <summary>
/// The dashboard's own roles (what a user may see and do in the dashboard; clusters' RBAC still decides in the
/// cluster). What each may do is one table: <c>DashboardActions</c> in the web project.
/// </summary>
public static class DashboardRoles
{
    /// <summary>Everything: clusters, users, audit.</summary>
    public const string Administrator = "Administrator";

    /// <summary>On call: everything a Viewer may, and acknowledge and snooze problems, run connection tests, read logs.</summary>
    public const string Operator = "Operator";

    /// <summary>Read only: the fleet's state and problems.</summary>
    public const string Viewer = "Viewer";

    public static IReadOnlyList<string> All { get; } = [Administrator, Operator, Viewer];
}
