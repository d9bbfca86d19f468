using MultiCluster.Core.VirtualClusters;
using System.Security.Claims;
using MultiCluster.Core.Access;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Access;

/// <summary>
/// The one place that decides which clusters a person sees and what they may do on each: a fleet-wide role (given to the
/// account by an Administrator) reaches every cluster; a team's dashboard role reaches the clusters its grants reach.
/// A person with neither sees no cluster. Every page, endpoint, hub subscription and query asks here.
/// </summary>
public sealed class ClusterVisibility(AccessSource access, FleetStateStore store)
{
    /// <summary>The groups claim single sign-on keeps on the account (the OIDC <c>groups</c> claim).</summary>
    public const string GroupsClaim = "groups";

    public AccessOptions Options => access.Options;

    /// <summary>The person's teams and their grants, as the registry holds them now.</summary>
    public PersonAccess Person(ClaimsPrincipal user)
    {
        var state = access.State;
        return PersonAccess.Of(user.Identity?.Name ?? "", Groups(user), state?.Teams ?? [], state?.Grants ?? [], FleetRoleOf(user));
    }

    /// <summary>What <paramref name="user"/> sees now: read once per request or refresh, not kept.</summary>
    public VisibleClusters For(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return new(user, PersonAccess.Of("", [], [], []), null, new Dictionary<string, string>(), store);
        }
        var fleetRole = FleetRoleOf(user);
        var person = Person(user);
        var roles = new Dictionary<string, string>(StringComparer.Ordinal);
        if (person.Grants.Count > 0)
        {
            foreach (var cluster in store.Clusters())
            {
                if (person.RoleOn(FleetFacts.Of(cluster)) is { } role)
                {
                    roles[cluster.Cluster] = role;
                }
            }
            // A registered vCluster is also seen with the role its host is seen with: who may manage the host's vClusters may use them.
            foreach (var cluster in store.Clusters())
            {
                if (VirtualClusterLabels.HostOf(cluster.Labels) is { } at && roles.TryGetValue(at.Host, out var hostRole) &&
                    (!roles.TryGetValue(cluster.Cluster, out var own) || PersonAccess.RoleRank(hostRole) < PersonAccess.RoleRank(own)))
                {
                    roles[cluster.Cluster] = hostRole;
                }
            }
        }
        return new(user, person, fleetRole, roles, store);
    }

    private static string? FleetRoleOf(ClaimsPrincipal user) => DashboardRoles.All.FirstOrDefault(user.IsInRole);

    public static IReadOnlyCollection<string> Groups(ClaimsPrincipal user) => [.. user.FindAll(GroupsClaim).Select(c => c.Value)];
}

/// <summary>
/// One person's view of the fleet at one moment: which clusters they see, their dashboard role on each (the higher of
/// their fleet-wide role and their teams' roles there), and whether the dashboard reads for them with impersonation.
/// </summary>
public sealed class VisibleClusters(ClaimsPrincipal user, PersonAccess person, string? fleetRole, IReadOnlyDictionary<string, string> teamRoles, FleetStateStore store)
{
    public ClaimsPrincipal User => user;

    public PersonAccess Person => person;

    /// <summary>Administrator, Operator or Viewer on every cluster; null when the person's clusters come from teams only.</summary>
    public string? FleetRole => fleetRole;

    public bool SeesEveryCluster => fleetRole is not null;

    public bool CanSee(string cluster) => fleetRole is not null || teamRoles.ContainsKey(cluster);

    /// <summary>The person's dashboard role on <paramref name="cluster"/>: the higher of the fleet-wide one and their teams' there.</summary>
    public string? RoleOn(string cluster)
    {
        var team = teamRoles.GetValueOrDefault(cluster);
        return fleetRole is null ? team : team is null ? fleetRole : PersonAccess.RoleRank(fleetRole) <= PersonAccess.RoleRank(team) ? fleetRole : team;
    }

    /// <summary>Whether the person may do <paramref name="action"/> on <paramref name="cluster"/>.</summary>
    public bool May(string action, string cluster) =>
        DashboardActions.Roles[action] is var roles && (roles.Count == 0 ? CanSee(cluster) : RoleOn(cluster) is { } role && roles.Contains(role));

    /// <summary>
    /// Whether the person may do <paramref name="action"/> on some cluster (pages show the action; each use is checked per
    /// cluster). An action that is not per cluster is the fleet-wide role's alone.
    /// </summary>
    public bool MayAnywhere(string action) =>
        !DashboardActions.PerCluster.Contains(action) ? user.May(action)
        : DashboardActions.Roles[action] is var roles
        && (fleetRole is not null && (roles.Count == 0 || roles.Contains(fleetRole)) || teamRoles.Values.Any(r => roles.Count == 0 || roles.Contains(r)));

    /// <summary>Null when the person may do <paramref name="action"/> on <paramref name="cluster"/>; otherwise why not, in plain words.</summary>
    public string? Refusal(string action, string cluster, string what) =>
        May(action, cluster) ? null
        : !CanSee(cluster) ? $"There is no cluster named '{cluster}' that you may see."
        : $"Your role on {cluster} ({RoleOn(cluster)}) may not {what}; that needs {string.Join(" or ", DashboardActions.Roles[action])}.";

    /// <summary>
    /// Whether the person sees a target row of the engine (key <c>ownerKind/owner/namespace</c>): on a cluster they see, and,
    /// for an access grant's, a grant of one of their teams unless they hold a fleet-wide role (another team's grants are
    /// not theirs to read, as on the Access page).
    /// </summary>
    public bool SeesTarget(string cluster, string key)
    {
        if (!CanSee(cluster))
        {
            return false;
        }
        if (fleetRole is not null || !key.StartsWith(AccessGrant.OwnerKind + "/", StringComparison.Ordinal))
        {
            return true;
        }
        var grant = key[(AccessGrant.OwnerKind.Length + 1)..].Split('/')[0];
        return person.Grants.Any(g => g.Name == grant);
    }

    /// <summary>The names of the clusters the person sees, in order.</summary>
    public IReadOnlyList<string> Names => [.. (fleetRole is not null ? store.ClusterNames : teamRoles.Keys).Order(StringComparer.Ordinal)];

    /// <summary>The items of <paramref name="items"/> on clusters the person sees.</summary>
    public IEnumerable<T> Of<T>(IEnumerable<T> items) where T : IFleetObject =>
        fleetRole is not null ? items : items.Where(i => teamRoles.ContainsKey(i.Cluster));

    /// <summary>The store's objects of one kind (on one cluster) that the person sees.</summary>
    public IEnumerable<T> All<T>(FleetKind kind, string? cluster = null) where T : class, IFleetObject =>
        cluster is not null ? (CanSee(cluster) ? store.All<T>(kind, cluster) : [])
        : fleetRole is not null ? store.All<T>(kind)
        : teamRoles.Keys.SelectMany(c => store.All<T>(kind, c));

    public int Count(FleetKind kind, string? cluster = null) =>
        cluster is not null ? (CanSee(cluster) ? store.Count(kind, cluster) : 0)
        : fleetRole is not null ? store.Count(kind)
        : teamRoles.Keys.Sum(c => store.Count(kind, c));

    public ClusterSummary? Cluster(string name) => CanSee(name) ? store.Cluster(name) : null;

    /// <summary>A page of the pods the person sees, from the store's pod index (no pass over every pod).</summary>
    public PodPage Pods(PodQuery query)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var page = store.Pods.Query(query, PodVisibility);
        Telemetry.WebTelemetry.PodQueryDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("search", string.IsNullOrWhiteSpace(query.Search) ? "none" : "name"));
        return page;
    }

    /// <summary>Whether a pod's cluster is one the person sees; null when they see every cluster.</summary>
    public Func<string, bool>? PodVisibility => fleetRole is not null ? null : CanSee;

    /// <summary>The STATUS values among the pods the person sees.</summary>
    public IReadOnlyList<string> PodStatuses() => store.Pods.Statuses(PodVisibility);

    /// <summary>The Overview's figures of each cluster the person sees, kept by the store as changes arrive.</summary>
    public ClusterOverview Overview(ClusterSummary cluster) => store.Overview(cluster);

    public IEnumerable<ClusterSummary> Clusters() => Of(store.Clusters());

    public T? Get<T>(FleetKind kind, string cluster, string key) where T : class, IFleetObject =>
        CanSee(cluster) ? store.Get<T>(kind, cluster, key) : null;

    /// <summary>The planners' facts of the clusters the person sees.</summary>
    public (IReadOnlyList<ClusterFacts> Clusters, IReadOnlyList<NamespaceFacts> Namespaces) Facts() => store.Facts(CanSee);

    /// <summary>A fingerprint of what the person sees: a hub stream ends when it changes.</summary>
    public string Fingerprint => fleetRole ?? string.Join(',', teamRoles.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));
}
