using System.Security.Claims;
using MultiCluster.Core.Access;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Access;

/// <summary>
/// What one user may see and do on the Access pages: every fleet-wide dashboard role reads every team and grant;
/// Administrators manage teams, ceilings and templates; a team's admins (who may hold no dashboard role at all) see their
/// teams, change their members and manage their grants; a team's members see their teams and grants (and so no name of a
/// cluster they may not see). Pages show only the buttons this allows; <see cref="AccessPolicies"/> checks again.
/// </summary>
public sealed class AccessPermissions(ClaimsPrincipal user)
{
    public ClaimsPrincipal User => user;

    public bool CanRead => user.May(DashboardActions.ReadAccess);

    public bool CanManageTeams => user.May(DashboardActions.ManageTeams);

    public bool IsAdminOf(Team team) => AccessPolicies.IsAdminOf(user, team);

    public bool IsMemberOf(Team team) => AccessPolicies.IsMemberOf(user, team);

    private bool Sees(Team team) => CanRead || IsAdminOf(team) || IsMemberOf(team);

    /// <summary>Administrators change a team whole; its admins its members only.</summary>
    public bool CanEdit(Team team) => CanManageTeams || IsAdminOf(team);

    public bool CanEditOnlyMembers(Team team) => !CanManageTeams && IsAdminOf(team);

    public bool CanManageGrantsOf(Team? team) => CanManageTeams || (team is not null && IsAdminOf(team));

    /// <summary>Whether the user sees anything here: a dashboard role, or a team of theirs.</summary>
    public bool SeesAnything(IEnumerable<Team> teams) => CanRead || teams.Any(Sees);

    /// <summary>The teams shown: all of them to readers, their own to team admins and members without a role.</summary>
    public IReadOnlyList<Team> Visible(IEnumerable<Team> teams) => [.. teams.Where(Sees).OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>The grants shown: all of them to readers, those of their teams to team admins and members without a role.</summary>
    public IReadOnlyList<AccessGrant> Visible(IEnumerable<AccessGrant> grants, IEnumerable<Team> teams)
    {
        var mine = teams.Where(Sees).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return [.. grants.Where(g => CanRead || mine.Contains(g.Team)).OrderBy(g => g.Name, StringComparer.Ordinal)];
    }

    /// <summary>The teams the user may create grants for.</summary>
    public IReadOnlyList<Team> GrantTeams(IEnumerable<Team> teams) => [.. teams.Where(CanManageGrantsOf).OrderBy(t => t.Name, StringComparer.Ordinal)];
}
