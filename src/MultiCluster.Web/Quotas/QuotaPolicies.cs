using System.Security.Claims;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Hosting;
using MultiCluster.Web.Access;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Quotas;

/// <summary>
/// Quota policies for the page and the API: saved in the registry (checked against the fleet as it is for overlaps),
/// handed to the engine at once (and every 30 s: <see cref="RegistryMirror"/>), previewed against what the informers hold.
/// </summary>
public sealed class QuotaPolicies(QuotaPolicyStore policies, QuotaPolicySource source, FleetStateStore store, ClusterVisibility visibility,
    [FromKeyedServices(QuotaPolicySource.OwnerKindKey)] ReconcileEngine engine, TimeProvider time, ILogger<QuotaPolicies> logger)
    : RegistryMirror(time, logger, "quota policies")
{
    public Task<IReadOnlyList<QuotaPolicy>> ListAsync(CancellationToken cancellationToken = default) => policies.ListAsync(cancellationToken);

    public Task<QuotaPolicy?> FindAsync(string name, CancellationToken cancellationToken = default) => policies.FindAsync(name, cancellationToken);

    /// <summary>
    /// The policies as <paramref name="user"/> may see them: all of them with a fleet-wide role; otherwise those that reach a
    /// cluster the person sees, their cluster list cut to those clusters (no name of another cluster reaches them).
    /// </summary>
    public async Task<IReadOnlyList<QuotaPolicy>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var visible = visibility.For(user);
        var all = await policies.ListAsync(cancellationToken);
        if (visible.SeesEveryCluster)
        {
            return all;
        }
        var clusters = visible.Facts().Clusters;
        return [.. all.Where(p => clusters.Any(p.Scope.SelectsCluster))
            .Select(p => p.Clusters.Count == 0 ? p : p with { Clusters = [.. p.Clusters.Where(visible.CanSee)] })];
    }

    public async Task<QuotaPolicy?> FindAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default) =>
        (await ListAsync(user, cancellationToken)).SingleOrDefault(p => p.Name == name);

    /// <summary>Creates (<paramref name="expectedGeneration"/> null) or updates a policy; Administrators only.</summary>
    public async Task<QuotaPolicySaveResult> SaveAsync(ClaimsPrincipal user, QuotaPolicy policy, long? expectedGeneration, CancellationToken cancellationToken = default)
    {
        if (DashboardActions.Refusal(user, DashboardActions.ManageQuotas, "change quota policies") is { } refusal)
        {
            return new QuotaPolicySaveResult(null, [refusal], []);
        }
        var (clusters, namespaces) = Facts();
        var result = await policies.SaveAsync(AuditLog.ActorOf(user), policy, expectedGeneration, clusters, namespaces, cancellationToken);
        if (result.Saved)
        {
            await ReloadAsync(cancellationToken);
        }
        return result;
    }

    /// <summary>Deletes a policy (its objects leave every cluster); Administrators only. Null when done, else why not.</summary>
    public async Task<string?> DeleteAsync(ClaimsPrincipal user, string name, CancellationToken cancellationToken = default)
    {
        if (DashboardActions.Refusal(user, DashboardActions.ManageQuotas, "delete quota policies") is { } refusal)
        {
            return refusal;
        }
        if (!await policies.DeleteAsync(AuditLog.ActorOf(user), name, cancellationToken))
        {
            return $"There is no quota policy named '{name}'.";
        }
        await ReloadAsync(cancellationToken);
        return null;
    }

    /// <summary>What saving <paramref name="candidate"/> would do, in the clusters <paramref name="user"/> may see.</summary>
    public async Task<QuotaPreview> PreviewAsync(ClaimsPrincipal user, QuotaPolicy candidate, CancellationToken cancellationToken = default)
    {
        var stored = await policies.ListAsync(cancellationToken);
        var (clusters, namespaces) = Facts(user);
        var visible = clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var observed = source.Kinds.SelectMany(kind => store.All<IObservedObject>(kind)).Where(o => visible.Contains(o.Cluster)).Select(o => o.Observed).OfType<ManagedObject>();
        return QuotaPreview.Of(candidate, stored, clusters, namespaces, observed, store.All<QuotaSummary>(FleetKind.ResourceQuota).Where(q => visible.Contains(q.Cluster)));
    }

    /// <summary>
    /// Where <paramref name="policy"/> meets another policy of a different priority, in the clusters <paramref name="user"/>
    /// may see: each namespace with the policy that gave way (<see cref="QuotaOverlap.Policy"/>) and the one that writes there.
    /// </summary>
    public async Task<IReadOnlyList<QuotaOverlap>> MeetingsAsync(ClaimsPrincipal user, string policy, CancellationToken cancellationToken = default)
    {
        var (clusters, namespaces) = Facts(user);
        return [.. QuotaPlanner.Plan(await policies.ListAsync(cancellationToken), clusters, namespaces).Shadowed.Where(s => s.Policy == policy || s.OtherPolicy == policy)];
    }

    /// <summary>The targets of one policy (or all) that <paramref name="user"/> may see.</summary>
    public IEnumerable<PolicyTarget> Targets(ClaimsPrincipal user, string? policy = null) =>
        visibility.For(user).All<PolicyTarget>(FleetKind.PolicyTarget).Where(t => t.OwnerKind == QuotaPolicy.OwnerKind && (policy is null || t.Owner == policy));

    /// <summary>Writes one target's objects now, though its policy only informs; Administrators only. Null when queued, else why not.</summary>
    public string? Repair(ClaimsPrincipal user, string policy, string cluster, string ns)
    {
        if (DashboardActions.Refusal(user, DashboardActions.ManageQuotas, "repair quota policy targets") is { } refusal)
        {
            return refusal;
        }
        return visibility.For(user).CanSee(cluster) && engine.Repair(cluster, policy, ns) ? null : $"Policy '{policy}' has no target {cluster}/{ns}.";
    }

    /// <summary>The clusters and active namespaces the planner sees (of the clusters <paramref name="user"/> may see, when given).</summary>
    public (IReadOnlyList<ClusterFacts> Clusters, IReadOnlyList<NamespaceFacts> Namespaces) Facts(ClaimsPrincipal? user = null) =>
        user is null ? store.Facts(_ => true) : visibility.For(user).Facts();

    /// <summary>Hands the registry's policies to the engine.</summary>
    public override async Task ReloadAsync(CancellationToken cancellationToken = default) => source.Set(await policies.ListAsync(cancellationToken));
}
