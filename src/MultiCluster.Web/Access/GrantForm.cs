using MultiCluster.Core.Access;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Web.Access;

/// <summary>
/// The grant editor's state: lists as text (nothing is parsed until the grant is built), clusters by labels or by name,
/// namespaces by patterns and labels or the whole cluster. <see cref="Problems"/> and <see cref="BeyondCeiling"/> say,
/// as the registry would, what stops the save.
/// </summary>
public sealed class GrantForm
{
    private GrantForm(long? generation) => Generation = generation;

    /// <summary>The generation the editor started from (sent with the save); null for a new grant.</summary>
    public long? Generation { get; }

    public bool IsNew => Generation is null;

    public string Name { get; set; } = "";

    public string Team { get; set; } = "";

    public string Role { get; set; } = "view";

    public bool ClustersByName { get; set; }

    public string? ClusterSelector { get; set; }

    public IReadOnlyCollection<string> Clusters { get; set; } = [];

    public bool ClusterWide { get; set; }

    /// <summary>Namespace names or patterns, separated by commas or spaces: <c>team-*, shop</c>.</summary>
    public string? NamespacePatterns { get; set; }

    public string? NamespaceSelector { get; set; }

    /// <summary>Users bound besides the team's group, separated by commas or spaces.</summary>
    public string? Users { get; set; }

    public PolicyMode Mode { get; set; } = PolicyMode.Enforce;

    public static GrantForm Create(string? team) => new(null) { Team = team ?? "" };

    public static GrantForm Edit(AccessGrant grant) => new(grant.Generation)
    {
        Name = grant.Name, Team = grant.Team, Role = grant.Role,
        ClustersByName = grant.Clusters.Count > 0, ClusterSelector = grant.ClusterSelector, Clusters = [.. grant.Clusters],
        ClusterWide = grant.ClusterWide, NamespacePatterns = string.Join(", ", grant.NamespacePatterns), NamespaceSelector = grant.NamespaceSelector,
        Users = string.Join(", ", grant.Users), Mode = grant.Mode,
    };

    public AccessGrant ToGrant() => new()
    {
        Name = Name.Trim(),
        Team = Team,
        Role = Role.Trim(),
        ClusterSelector = ClustersByName ? null : Blank(ClusterSelector),
        Clusters = ClustersByName ? [.. Clusters] : [],
        ClusterWide = ClusterWide,
        NamespacePatterns = ClusterWide ? [] : Words(NamespacePatterns),
        NamespaceSelector = ClusterWide ? null : Blank(NamespaceSelector),
        Users = Words(Users),
        Mode = Mode,
        Generation = Generation ?? 1,
    };

    /// <summary>What stops the save besides the ceiling: the form's own slips, then what the registry would refuse.</summary>
    public IReadOnlyList<string> Problems(IReadOnlyCollection<string> templates)
    {
        var problems = new List<string>();
        if (Team.Length == 0)
        {
            problems.Add("Choose the team the grant gives access to.");
        }
        if (ClustersByName && Clusters.Count == 0)
        {
            problems.Add("Pick at least one cluster, or choose clusters by their labels.");
        }
        problems.AddRange(AccessValidation.Validate(ToGrant(), templates));
        return problems;
    }

    /// <summary>Where the grant crosses its team's ceiling, in the registry's sentences; empty when it stays within (or has no team yet).</summary>
    public IReadOnlyList<string> BeyondCeiling(Team? team, IReadOnlyList<ClusterFacts> clusters) =>
        team is null ? [] : AccessValidation.BeyondCeiling(ToGrant(), team, clusters);

    /// <summary>What the grant reaches now within the ceiling, of the clusters and namespaces given.</summary>
    public IReadOnlyList<(string Cluster, string? Namespace)> Reach(Team? team, IReadOnlyList<ClusterFacts> clusters, IReadOnlyList<NamespaceFacts> namespaces) =>
        team is null ? [] : AccessPlanner.Targets(ToGrant(), team, clusters, namespaces);

    internal static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    internal static List<string> Words(string? text) =>
        [.. (text ?? "").Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
