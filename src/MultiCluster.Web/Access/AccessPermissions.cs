using System.Security.Claims;
using MultiCluster.Core.Access;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Access;

/// <summary>
/// What one user may see and do on the Access pages: every dashboard role reads every team and grant; Administrators
/// manage teams, ceilings and templates; a team's admins (who may hold no dashboard role at all) see their teams, change
/// their members and manage their grants. Pages show only the buttons this allows; <see cref="AccessPolicies"/> checks again.
/// </summary>
public sealed class AccessPermissions(ClaimsPrincipal user)
{
    public ClaimsPrincipal User => user;

    public bool CanRead => user.May(DashboardActions.ReadAccess);

    public bool CanManageTeams => user.May(DashboardActions.ManageTeams);

    /// <summary>Whether targets show: they live in the fleet store, which only users with a dashboard role see.</summary>
    public bool CanSeeTargets => user.May(DashboardActions.ReadFleet);

    public bool IsAdminOf(Team team) => AccessPolicies.IsAdminOf(user, team);

    /// <summary>Administrators change a team whole; its admins its members only.</summary>
    public bool CanEdit(Team team) => CanManageTeams || IsAdminOf(team);

    public bool CanEditOnlyMembers(Team team) => !CanManageTeams && IsAdminOf(team);

    public bool CanManageGrantsOf(Team? team) => CanManageTeams || (team is not null && IsAdminOf(team));

    /// <summary>Whether the user sees anything here: a dashboard role, or adminship of a team.</summary>
    public bool SeesAnything(IEnumerable<Team> teams) => CanRead || teams.Any(IsAdminOf);

    /// <summary>The teams shown: all of them to readers, their own to team admins without a role.</summary>
    public IReadOnlyList<Team> Visible(IEnumerable<Team> teams) => [.. teams.Where(t => CanRead || IsAdminOf(t)).OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>The grants shown: all of them to readers, those of their teams to team admins without a role.</summary>
    public IReadOnlyList<AccessGrant> Visible(IEnumerable<AccessGrant> grants, IEnumerable<Team> teams)
    {
        var mine = teams.Where(IsAdminOf).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return [.. grants.Where(g => CanRead || mine.Contains(g.Team)).OrderBy(g => g.Name, StringComparer.Ordinal)];
    }

    /// <summary>The teams the user may create grants for.</summary>
    public IReadOnlyList<Team> GrantTeams(IEnumerable<Team> teams) => [.. teams.Where(CanManageGrantsOf).OrderBy(t => t.Name, StringComparer.Ordinal)];
}
