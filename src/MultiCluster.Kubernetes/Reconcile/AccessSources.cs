using MultiCluster.Core.Access;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;

namespace MultiCluster.Kubernetes.Reconcile;

/// <summary>Teams, grants and role templates as the registry holds them now, shared by the two access sources of the engine.</summary>
public sealed record AccessState(IReadOnlyList<Team> Teams, IReadOnlyList<AccessGrant> Grants, IReadOnlyList<RoleTemplate> Templates);

/// <summary>
/// Access as the engine sees it: the dashboard sets the registry's teams, grants and templates; one source plans the
/// bindings (owner kind <c>grant</c>), the other the role templates' ClusterRoles (owner kind <c>roletemplate</c>), so
/// the one engine writes both, each with its own queue of owners.
/// </summary>
public sealed class AccessSource(AccessOptions options)
{
    public const string GrantsKey = AccessGrant.OwnerKind;
    public const string TemplatesKey = RoleTemplate.OwnerKind;
    public const string FleetRolesKey = FleetRoles.OwnerKind;

    private readonly ChangeSignal _changes = new();
    private AccessState? _state;

    public AccessOptions Options => options;

    public AccessState? State => Volatile.Read(ref _state);

    public void Set(AccessState state)
    {
        Volatile.Write(ref _state, state);
        _changes.Notify();
    }

    public IReconcileSource Grants => new Owner(this, AccessGrant.OwnerKind, [FleetKind.RoleBinding, FleetKind.ClusterRoleBinding],
        (s, cluster, namespaces) => AccessPlanner.Bindings(s.Grants, s.Teams, cluster, namespaces, options));

    /// <summary>The fleet-wide roles' bindings, the same in every cluster (<see cref="FleetRoles"/>).</summary>
    public IReconcileSource FleetRoleBindings => new Owner(this, FleetRoles.OwnerKind, [FleetKind.ClusterRoleBinding],
        (_, cluster, _) => FleetRoles.Plan(cluster, options));

    public IReconcileSource Templates => new Owner(this, RoleTemplate.OwnerKind, [FleetKind.ClusterRole],
        (s, cluster, namespaces) => AccessPlanner.ClusterRoles(s.Templates, s.Grants, s.Teams, cluster, namespaces));

    private sealed class Owner(AccessSource access, string ownerKind, IReadOnlyList<FleetKind> kinds, Func<AccessState, ClusterFacts, IReadOnlyList<NamespaceFacts>, ClusterPlan> plan)
        : IReconcileSource
    {
        public string OwnerKind => ownerKind;

        public IReadOnlyList<FleetKind> Kinds => kinds;

        public long Version => access._changes.Version;

        public Task WaitForChangeAsync(long seen, CancellationToken cancellationToken) => access._changes.WaitAsync(seen, cancellationToken);

        public ClusterPlan? Plan(ClusterFacts cluster, IReadOnlyList<NamespaceFacts> namespaces) =>
            access.State is { } state ? plan(state, cluster, namespaces) : null;
    }
}
