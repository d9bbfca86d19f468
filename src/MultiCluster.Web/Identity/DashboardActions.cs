using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using MultiCluster.Data;

namespace MultiCluster.Web.Identity;

/// <summary>
/// Who may do what in the dashboard: one row per action, each an authorization policy of the same name. Every
/// endpoint, page and hub method names its action (a test enumerates them), and page actions and services ask
/// <see cref="May"/>, so the rule lives here only. The actions of <see cref="PerCluster"/> are allowed per cluster: by
/// the account's fleet-wide role, or by the role of a team whose grants reach the cluster (Access.ClusterVisibility);
/// their policies let in whoever may do them on some cluster, and each use is checked for its cluster.
/// </summary>
public static class DashboardActions
{
    /// <summary>See clusters, nodes, pods, events, quotas and problems (pages, API reads, the hub).</summary>
    public const string ReadFleet = "fleet.read";

    /// <summary>Acknowledge, snooze and take back acknowledgements of problems.</summary>
    public const string AcknowledgeProblems = "problems.acknowledge";

    /// <summary>Test a registered cluster's connection (writes its last-test fields and an audit entry).</summary>
    public const string TestConnections = "clusters.test";

    /// <summary>Read and download pods' logs (logs carry what the fleet's state does not: request data, secrets printed by mistake).</summary>
    public const string ReadLogs = "pods.logs";

    /// <summary>Register, edit and remove clusters.</summary>
    public const string ManageClusters = "clusters.manage";

    /// <summary>Create, edit and delete quota policies, and ask for a target's repair (they write into every matching namespace).</summary>
    public const string ManageQuotas = "quotas.manage";

    /// <summary>See teams, their members, grants and role templates.</summary>
    public const string ReadAccess = "access.read";

    /// <summary>Create and delete teams, set their ceilings and dashboard roles, define role templates.</summary>
    public const string ManageTeams = "teams.manage";

    /// <summary>
    /// A team's members and grants: every signed-in user may ask, and the server allows Administrators and that team's
    /// admins only, within the team's ceiling (team admins hold no dashboard role for it).
    /// </summary>
    public const string AdministerTeam = "team.administer";

    /// <summary>Create, pause, resume, delete and register vClusters on a host (per host cluster; the host's RBAC decides too).</summary>
    public const string ManageVirtualClusters = "vclusters.manage";

    /// <summary>Download a vCluster's kubeconfig: it signs in as the vCluster's administrator (per host cluster).</summary>
    public const string ConnectVirtualClusters = "vclusters.connect";

    /// <summary>Read the audit log (it names every user).</summary>
    public const string ReadAudit = "audit.read";

    /// <summary>
    /// Scrape <c>/metrics</c>: every cluster's name and health, fleet-wide; any fleet-wide role (a Prometheus service
    /// account with Viewer is enough), not a team's role, which sees only some clusters.
    /// </summary>
    public const string ReadMetrics = "metrics.read";

    /// <summary>One's own account: profile, password, tokens, sign-out. Every signed-in user, with a role or not.</summary>
    public const string OwnAccount = "account.own";

    /// <summary>The actions a team's role allows on the clusters its grants reach (a fleet-wide role allows them everywhere).</summary>
    public static IReadOnlySet<string> PerCluster { get; } = new HashSet<string>(StringComparer.Ordinal) { ReadFleet, AcknowledgeProblems, TestConnections, ReadLogs, ManageVirtualClusters, ConnectVirtualClusters };

    /// <summary>The roles allowed each action; an empty list means every signed-in user.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Roles { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [ReadFleet] = [DashboardRoles.Administrator, DashboardRoles.Operator, DashboardRoles.Viewer],
        [AcknowledgeProblems] = [DashboardRoles.Administrator, DashboardRoles.Operator],
        [TestConnections] = [DashboardRoles.Administrator, DashboardRoles.Operator],
        [ReadLogs] = [DashboardRoles.Administrator, DashboardRoles.Operator],
        [ManageClusters] = [DashboardRoles.Administrator],
        [ManageQuotas] = [DashboardRoles.Administrator],
        [ReadAccess] = [DashboardRoles.Administrator, DashboardRoles.Operator, DashboardRoles.Viewer],
        [ManageTeams] = [DashboardRoles.Administrator],
        [AdministerTeam] = [],
        [ManageVirtualClusters] = [DashboardRoles.Administrator, DashboardRoles.Operator],
        [ConnectVirtualClusters] = [DashboardRoles.Administrator, DashboardRoles.Operator],
        [ReadAudit] = [DashboardRoles.Administrator],
        [ReadMetrics] = [DashboardRoles.Administrator, DashboardRoles.Operator, DashboardRoles.Viewer],
        [OwnAccount] = [],
    };

    /// <summary>Whether <paramref name="user"/>'s fleet-wide role allows <paramref name="action"/> (for <see cref="PerCluster"/> actions, on every cluster).</summary>
    public static bool May(this ClaimsPrincipal user, string action)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return false;
        }
        var roles = Roles[action];
        return roles.Count == 0 || roles.Any(user.IsInRole);
    }

    /// <summary>Null when <paramref name="user"/> may do <paramref name="action"/>; otherwise why not, in plain words.</summary>
    public static string? Refusal(ClaimsPrincipal user, string action, string what) =>
        user.May(action) ? null : $"Your role may not {what}; that needs {string.Join(" or ", Roles[action])}.";

    /// <summary>Registers one policy per action.</summary>
    public static AuthorizationBuilder AddActionPolicies(this AuthorizationBuilder authorization)
    {
        foreach (var (action, roles) in Roles)
        {
            authorization.AddPolicy(action, p =>
            {
                p.RequireAuthenticatedUser();
                if (PerCluster.Contains(action))
                {
                    p.AddRequirements(new Access.ClusterActionRequirement(action));
                }
                else if (roles.Count > 0)
                {
                    p.RequireRole(roles);
                }
            });
        }
        return authorization;
    }
}
