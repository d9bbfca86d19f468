using MultiCluster.Core.Access;

namespace MultiCluster.Web.Access;

/// <summary>
/// The team editor's state: members as rows (blank rows are left out), the ceiling's lists as text. An Administrator
/// changes everything; a team admin only the members (<see cref="MembersOnly"/>), so <see cref="ToTeam"/> then keeps
/// everything else exactly as stored. <see cref="Problems"/> says what stops the save, as the registry would.
/// </summary>
public sealed class TeamForm
{
    public static readonly IReadOnlyList<string> DashboardRoles = ["Viewer", "Operator"];

    private readonly Team? _stored;

    private TeamForm(Team? stored, bool membersOnly)
    {
        _stored = stored;
        MembersOnly = membersOnly;
    }

    /// <summary>The generation the editor started from; null for a new team.</summary>
    public long? Generation => _stored?.Generation;

    public bool IsNew => _stored is null;

    /// <summary>A team admin's edit: only the members change.</summary>
    public bool MembersOnly { get; }

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public string DashboardRole { get; set; } = "Viewer";

    public List<MemberRow> Members { get; } = [];

    public bool ClustersByName { get; set; }

    public string? ClusterSelector { get; set; }

    public IReadOnlyCollection<string> Clusters { get; set; } = [];

    /// <summary>Namespace names or patterns its grants may reach, separated by commas or spaces.</summary>
    public string? NamespacePatterns { get; set; }

    public IReadOnlyCollection<string> Roles { get; set; } = [];

    public bool AllowClusterWide { get; set; }

    /// <summary>An empty team with one member row to type into; its grants may reach nothing until a ceiling is set.</summary>
    public static TeamForm Create()
    {
        var form = new TeamForm(null, membersOnly: false);
        form.Members.Add(new MemberRow());
        return form;
    }

    public static TeamForm Edit(Team team, bool membersOnly)
    {
        var form = new TeamForm(team, membersOnly)
        {
            Name = team.Name, Description = team.Description, DashboardRole = team.DashboardRole,
            ClustersByName = team.Ceiling.Clusters.Count > 0, ClusterSelector = team.Ceiling.ClusterSelector, Clusters = [.. team.Ceiling.Clusters],
            NamespacePatterns = string.Join(", ", team.Ceiling.NamespacePatterns), Roles = [.. team.Ceiling.Roles], AllowClusterWide = team.Ceiling.AllowClusterWide,
        };
        form.Members.AddRange(team.Members.Select(m => new MemberRow { Kind = m.Kind, Name = m.Name, IsAdmin = m.IsAdmin }));
        return form;
    }

    public Team ToTeam()
    {
        IReadOnlyList<TeamMember> members = [.. Members.Where(m => !string.IsNullOrWhiteSpace(m.Name)).Select(m => new TeamMember(m.Kind, m.Name.Trim(), m.IsAdmin))];
        if (MembersOnly && _stored is not null)
        {
            return _stored with { Members = members };
        }
        return new Team
        {
            Name = Name.Trim(),
            Description = GrantForm.Blank(Description),
            DashboardRole = DashboardRole,
            Members = members,
            Ceiling = new TeamCeiling
            {
                ClusterSelector = ClustersByName ? null : GrantForm.Blank(ClusterSelector),
                Clusters = ClustersByName ? [.. Clusters] : [],
                NamespacePatterns = GrantForm.Words(NamespacePatterns),
                Roles = [.. Roles],
                AllowClusterWide = AllowClusterWide,
            },
            Generation = Generation ?? 1,
        };
    }

    /// <summary>What stops the save: the form's own slips, then what the registry would refuse.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!MembersOnly && ClustersByName && Clusters.Count == 0)
        {
            problems.Add("Pick at least one cluster, or choose clusters by their labels.");
        }
        problems.AddRange(AccessValidation.Validate(ToTeam()));
        return problems;
    }
}

/// <summary>One member row of the team editor.</summary>
public sealed class MemberRow
{
    public MemberKind Kind { get; set; } = MemberKind.User;

    public string Name { get; set; } = "";

    public bool IsAdmin { get; set; }
}
