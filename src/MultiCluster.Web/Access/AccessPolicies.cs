using System.Security.Claims;
using MultiCluster.Core.Access;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Hosting;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Access;

/// <summary>
/// Teams, grants and role templates for the API and pages: who may change what (Administrators everything; a team's
/// admins its members and its grants, within its ceiling), saved in the registry and handed to the engine at once
/// (and every 30 s: <see cref="RegistryMirror"/>).
/// </summary>
public sealed class AccessPolicies(AccessStore access, AccessSource source, FleetStateStore store, ClusterVisibility visibility, AuditLog audit,
    [FromKeyedServices(AccessSource.GrantsKey)] ReconcileEngine grants, TimeProvider time, ILogger<AccessPolicies> logger)
    : RegistryMirror(time, logger, "teams and grants")
{
    public Task<IReadOnlyList<Team>> TeamsAsync(CancellationToken cancellationToken = default) => access.ListTeamsAsync(cancellationToken);

    public Task<IReadOnlyList<AccessGrant>> GrantsAsync(CancellationToken cancellationToken = default) => access.ListGrantsAsync(cancellationToken);

    public Task<IReadOnlyList<RoleTemplate>> TemplatesAsync(CancellationToken cancellationToken = default) => access.ListTemplatesAsync(cancellationToken);

    /// <summary>
    /// Administrators create and change teams whole; a team's admins change only its members (its ceiling, dashboard role
    /// and description are the Administrators').
    /// </summary>
    public async Task<AccessSaveResult<Team>> SaveTeamAsync(ClaimsPrincipal user, Team team, long? expectedGeneration, CancellationToken cancellationToken = default)
    {
        if (!user.May(DashboardActions.ManageTeams))
        {
            var existing = (await access.ListTeamsAsync(cancellationToken)).SingleOrDefault(t => t.Name == team.Name);
            if (existing is null || !IsAdminOf(user, existing))
            {
                return await RefusedAsync<Team>(user, AccessStore.TeamActions, "team", team.Name, $"Only Administrators and the admins of team {team.Name} change it.", cancellationToken);
            }
            if (!SameExceptMembers(existing, team))
            {
                return await RefusedAsync<Team>(user, AccessStore.TeamActions, "team", team.Name,
                    $"A team admin changes the members of team {team.Name}; its ceiling, dashboard role and description are set by Administrators.", cancellationToken);
            }
        }
        return await ReloadAfter(await access.SaveTeamAsync(AuditLog.ActorOf(user), team, expectedGeneration, cancellationToken), cancellationToken);
    }

    public async Task<AccessProblem?> DeleteTeamAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default) =>
        await ForbiddenAsync(user, AccessStore.TeamActions, "team", name, DashboardActions.Refusal(user, DashboardActions.ManageTeams, "delete teams"), cancellationToken) ?? await ReloadAfter(await access.DeleteTeamAsync(AuditLog.ActorOf(user), name, cancellationToken), cancellationToken);

    /// <summary>Administrators, and the admins of the grant's team (of both teams, when a grant moves), within the team's ceiling.</summary>
    public async Task<AccessSaveResult<AccessGrant>> SaveGrantAsync(ClaimsPrincipal user, AccessGrant grant, long? expectedGeneration, CancellationToken cancellationToken = default)
    {
        var teams = await access.ListTeamsAsync(cancellationToken);
        var before = (await access.ListGrantsAsync(cancellationToken)).SingleOrDefault(g => g.Name == grant.Name);
        if (!MayManage(user, teams, grant.Team) || (before is not null && !MayManage(user, teams, before.Team)))
        {
            return await RefusedAsync<AccessGrant>(user, AccessStore.GrantActions, "grant", grant.Name, ManageRefusal(grant.Team), cancellationToken);
        }
        // Ceiling and overlaps are judged against the whole fleet, whatever the person may see.
        var (clusters, namespaces) = store.Facts(_ => true);
        return await ReloadAfter(await access.SaveGrantAsync(AuditLog.ActorOf(user), grant, expectedGeneration, clusters, namespaces, cancellationToken, visibility.For(user).CanSee), cancellationToken);
    }

    public async Task<AccessProblem?> DeleteGrantAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default)
    {
        var grant = (await access.ListGrantsAsync(cancellationToken)).SingleOrDefault(g => g.Name == name);
        if (grant is null)
        {
            return new($"There is no grant named '{name}'.", AccessRefusal.NotFound);
        }
        return MayManage(user, await access.ListTeamsAsync(cancellationToken), grant.Team)
            ? await ReloadAfter(await access.DeleteGrantAsync(AuditLog.ActorOf(user), name, cancellationToken), cancellationToken)
            : await ForbiddenAsync(user, AccessStore.GrantActions, "grant", name, ManageRefusal(grant.Team), cancellationToken);
    }

    public async Task<AccessSaveResult<RoleTemplate>> SaveTemplateAsync(ClaimsPrincipal user, RoleTemplate template, long? expectedGeneration, CancellationToken cancellationToken = default) =>
        DashboardActions.Refusal(user, DashboardActions.ManageTeams, "define role templates") is { } refusal
            ? await RefusedAsync<RoleTemplate>(user, AccessStore.TemplateActions, "role template", template.Name, refusal, cancellationToken)
            : await ReloadAfter(await access.SaveTemplateAsync(AuditLog.ActorOf(user), template, expectedGeneration, cancellationToken), cancellationToken);

    public async Task<AccessProblem?> DeleteTemplateAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default) =>
        await ForbiddenAsync(user, AccessStore.TemplateActions, "role template", name, DashboardActions.Refusal(user, DashboardActions.ManageTeams, "delete role templates"), cancellationToken) ?? await ReloadAfter(await access.DeleteTemplateAsync(AuditLog.ActorOf(user), name, cancellationToken), cancellationToken);

    /// <summary>
    /// Writes one target's binding now, though its grant only informs (Inform mode); Administrators and the team's admins.
    /// <paramref name="ns"/> null for a cluster-wide grant. Null when queued, else why not.
    /// </summary>
    public async Task<AccessProblem?> RepairAsync(ClaimsPrincipal user, string grant, string cluster, string? ns, CancellationToken cancellationToken = default)
    {
        var known = (await access.ListGrantsAsync(cancellationToken)).SingleOrDefault(g => g.Name == grant);
        if (known is null)
        {
            return new($"There is no grant named '{grant}'.", AccessRefusal.NotFound);
        }
        if (!MayManage(user, await access.ListTeamsAsync(cancellationToken), known.Team))
        {
            return await ForbiddenAsync(user, AccessStore.GrantActions, "grant", grant, ManageRefusal(known.Team), cancellationToken);
        }
        return visibility.For(user).CanSee(cluster) && grants.Repair(cluster, grant, ns) ? null
            : new($"Grant '{grant}' has no target {cluster}{(ns is null ? "" : "/" + ns)}.", AccessRefusal.NotFound);
    }

    /// <summary>The targets of one grant (or all) that <paramref name="user"/> may see.</summary>
    public IEnumerable<PolicyTarget> Targets(ClaimsPrincipal user, string? grant = null)
    {
        var visible = visibility.For(user);
        return visible.All<PolicyTarget>(FleetKind.PolicyTarget)
            .Where(t => t.OwnerKind == AccessGrant.OwnerKind && (grant is null || t.Owner == grant) && visible.SeesTarget(t.Cluster, t.Key));
    }

    /// <summary>Bindings not made by the dashboard that name a team's groups, in the clusters <paramref name="user"/> may see.</summary>
    public IReadOnlyList<UnmanagedBinding> Unmanaged(ClaimsPrincipal user) =>
        ShadowAccess.Find(Observed(visibility.For(user), null, FleetKind.RoleBinding, FleetKind.ClusterRoleBinding), source.State?.Teams ?? [], source.State?.Grants ?? [], source.Options);

    /// <summary>Every subject allowed to do what <paramref name="question"/> asks, per cluster (of those <paramref name="user"/> may see).</summary>
    public IReadOnlyList<AllowedSubject> WhoCan(ClaimsPrincipal user, IReadOnlyCollection<string> clusters, AccessQuestion question)
    {
        var visible = visibility.For(user);
        return [.. clusters.Where(visible.CanSee).Order(StringComparer.Ordinal)
            .SelectMany(c => Core.Access.WhoCan.Evaluate(question, Observed(visible, c, FleetKind.RoleBinding, FleetKind.ClusterRoleBinding, FleetKind.Role, FleetKind.ClusterRole)))];
    }

    private static IEnumerable<ManagedObject> Observed(VisibleClusters visible, string? cluster, params FleetKind[] kinds) =>
        kinds.SelectMany(k => visible.All<IObservedObject>(k, cluster)).Select(o => o.Observed).OfType<ManagedObject>();

    public static bool IsAdminOf(ClaimsPrincipal user, Team team) =>
        user.Identity?.Name is { } name && team.HasAdmin(name, ClusterVisibility.Groups(user));

    public static bool IsMemberOf(ClaimsPrincipal user, Team team) =>
        user.Identity?.Name is { } name && team.HasMember(name, ClusterVisibility.Groups(user));

    private static bool MayManage(ClaimsPrincipal user, IReadOnlyList<Team> teams, string team) =>
        new AccessPermissions(user).CanManageGrantsOf(teams.SingleOrDefault(t => t.Name == team));

    private static string ManageRefusal(string team) => $"Only Administrators and the admins of team {team} manage its grants.";

    private static bool SameExceptMembers(Team a, Team b) =>
        a.Description == b.Description && a.DashboardRole == b.DashboardRole && a.Ceiling.ClusterSelector == b.Ceiling.ClusterSelector
        && a.Ceiling.Clusters.SequenceEqual(b.Ceiling.Clusters) && a.Ceiling.NamespacePatterns.SequenceEqual(b.Ceiling.NamespacePatterns)
        && a.Ceiling.Roles.SequenceEqual(b.Ceiling.Roles) && a.Ceiling.AllowClusterWide == b.Ceiling.AllowClusterWide;

    /// <summary>A change the person may not make: refused, and kept in the audit log (who tried what, and why not).</summary>
    private async Task<AccessSaveResult<T>> RefusedAsync<T>(ClaimsPrincipal user, string actions, string what, string name, string refusal, CancellationToken cancellationToken)
        where T : class
    {
        await audit.RecordAsync(AuditLog.ActorOf(user), actions + "refused", AccessStore.Target(what, name), AuditOutcome.Denied, refusal, cancellationToken);
        return new(null, [refusal], AccessRefusal.Forbidden);
    }

    private async Task<AccessProblem?> ForbiddenAsync(ClaimsPrincipal user, string actions, string what, string name, string? refusal, CancellationToken cancellationToken) =>
        refusal is null ? null : new((await RefusedAsync<Team>(user, actions, what, name, refusal, cancellationToken)).Problems[0], AccessRefusal.Forbidden);

    private async Task<T> ReloadAfter<T>(T outcome, CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Hands the registry's teams, grants and templates to the engine.</summary>
    public override async Task ReloadAsync(CancellationToken cancellationToken = default) =>
        source.Set(new AccessState(await access.ListTeamsAsync(cancellationToken), await access.ListGrantsAsync(cancellationToken), await access.ListTemplatesAsync(cancellationToken)));
}
