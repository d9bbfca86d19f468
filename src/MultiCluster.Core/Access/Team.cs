using System.Text.Json.Serialization;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Core.Access;

/// <summary>Who belongs to a team: a local user or an identity-provider group (the OIDC <c>groups</c> claim).</summary>
public enum MemberKind
{
    User,
    Group,
}

/// <summary>One member of a team; team admins add and remove members and manage the team's grants within its ceiling.</summary>
public sealed record TeamMember(MemberKind Kind, string Name, bool IsAdmin = false);

/// <summary>
/// What an Administrator lets a team's grants reach: clusters, namespaces and roles. A grant beyond it is refused,
/// saying which part it crosses. Empty namespace patterns and roles allow nothing of that kind; clusters are chosen as a
/// quota policy's are (no selector and no names is every cluster, as an empty label selector is);
/// <see cref="AllowClusterWide"/> allows cluster-wide grants.
/// </summary>
public sealed record TeamCeiling
{
    public string? ClusterSelector { get; init; }

    public IReadOnlyList<string> Clusters { get; init; } = [];

    public IReadOnlyList<string> NamespacePatterns { get; init; } = [];

    public IReadOnlyList<string> Roles { get; init; } = [];

    public bool AllowClusterWide { get; init; }

    [JsonIgnore]
    public TargetScope Scope => new(ClusterSelector, Clusters, null, NamespacePatterns);
}

/// <summary>
/// A team: people (local users, identity-provider groups), its admins, the dashboard role its members hold on the
/// clusters its grants reach (Operator or Viewer), and its ceiling.
/// </summary>
public sealed record Team
{
    /// <summary>A DNS label; the Kubernetes group is <c>multicluster:team:&lt;name&gt;</c>.</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<TeamMember> Members { get; init; } = [];

    /// <summary>The dashboard role members hold on the team's clusters: Operator or Viewer.</summary>
    public string DashboardRole { get; init; } = "Viewer";

    public TeamCeiling Ceiling { get; init; } = new();

    public long Generation { get; init; } = 1;

    /// <summary>The Group the team's bindings name and impersonation sends: <paramref name="prefix"/> + name.</summary>
    public string KubernetesGroup(string prefix = AccessGrant.DefaultGroupPrefix) => prefix + Name;

    public bool HasMember(string user, IReadOnlyCollection<string> groups) =>
        Members.Any(m => m.Kind == MemberKind.User ? m.Name == user : groups.Contains(m.Name));

    public bool HasAdmin(string user, IReadOnlyCollection<string> groups) =>
        Members.Any(m => m.IsAdmin && (m.Kind == MemberKind.User ? m.Name == user : groups.Contains(m.Name)));

    /// <summary>The team's identity-provider groups, bound too when <c>Access:BindIdpGroups</c> is on.</summary>
    [JsonIgnore]
    public IEnumerable<string> IdentityProviderGroups => Members.Where(m => m.Kind == MemberKind.Group).Select(m => m.Name);
}
