using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Quotas;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Kubernetes.Triage;
using MultiCluster.Core.Access;
using MultiCluster.Web.Access;
using MultiCluster.Web.Quotas;

namespace MultiCluster.Components.Tests;

/// <summary>
/// The Quotas pages over a real registry (SQLite) and store: policies are saved through the dashboard's own service; the
/// engine is wired but not started, so the targets the pages show are the ones a test puts in the store, as the engine would.
/// </summary>
public abstract class QuotaTestContext : DashboardTestContext
{
    private readonly TestRegistry _registry = new();
    private QuotaPolicies? _policies;

    protected QuotaTestContext() => SignInAs(DashboardRoles.Administrator);

    protected FleetStateStore Store => _registry.Services.GetRequiredService<FleetStateStore>();

    /// <summary>The registry's services (its stores), for contexts that build more of the dashboard on it.</summary>
    protected IServiceProvider Registry => _registry.Services;

    protected QuotaPolicies Policies => _policies ??= new QuotaPolicies(
        _registry.Services.GetRequiredService<QuotaPolicyStore>(), Source, Store, Visibility, Engine, TimeProvider.System, NullLogger<QuotaPolicies>.Instance);

    private QuotaPolicySource Source { get; } = new();

    /// <summary>Teams and grants as the engine would be handed them (what team members see follows them).</summary>
    protected AccessSource AccessSource { get; } = new(new AccessOptions());

    protected ClusterVisibility Visibility => field ??= new ClusterVisibility(AccessSource, Store);

    private ReconcileEngine Engine => field ??= EngineOf(Source);

    /// <summary>An engine over the store that is never started: the pages only read the targets each test puts in the store.</summary>
    protected ReconcileEngine EngineOf(IReconcileSource source) =>
        new(source, Store, new NoClients(), new NoJournal(), new ReconcileOptions(), TimeProvider.System, NullLogger<ReconcileEngine>.Instance);

    protected static ClaimsPrincipal Admin { get; } =
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ana"), new Claim(ClaimTypes.Role, DashboardRoles.Administrator)], "test"));

    /// <summary>Saves <paramref name="policy"/> as an Administrator would, failing the test when it is refused.</summary>
    protected async Task<QuotaPolicy> SaveAsync(QuotaPolicy policy, long? expectedGeneration = null)
    {
        var result = await Policies.SaveAsync(Admin, policy, expectedGeneration);
        Assert.True(result.Saved, string.Join(" ", result.Problems));
        return result.Policy!;
    }

    /// <summary>A cluster with its labels and active namespaces, as the informers would report them.</summary>
    protected void Cluster(string name, Dictionary<string, string> labels, params string[] namespaces) => Store.Apply(
    [
        FleetChange.Upsert(new ClusterSummary { Cluster = name, DisplayName = name, Health = ClusterHealth.Synced, Labels = labels }),
        .. namespaces.Select(ns => FleetChange.Upsert(new NamespaceSummary { Cluster = name, Name = ns })),
    ]);

    protected static QuotaSummary Quota(string cluster, string ns, string name, params (string Resource, string Used, string Hard)[] resources) => new()
    {
        Cluster = cluster, Namespace = ns, Name = name,
        Resources = [.. resources.Select(r => new QuotaResource(r.Resource, r.Hard, r.Used, Quantities.Parse(r.Hard), Quantities.Parse(r.Used)))],
    };

    protected static PolicyTarget Target(string policy, string cluster, string ns, PolicyMode mode, params ObjectState[] objects) => new()
    {
        Cluster = cluster, OwnerKind = QuotaPolicy.OwnerKind, Owner = policy, Namespace = ns, Mode = mode, Objects = objects, Since = DateTimeOffset.UtcNow.AddMinutes(-5),
    };

    protected static ObjectState InSync(string kind) => new(kind, "", TargetState.Of(TargetStatus.InSync));

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton(_ => Store);
        services.AddSingleton(_ => Policies);
        services.AddSingleton(_ => Source);
        services.AddSingleton(_ => AccessSource);
        services.AddSingleton(_ => Visibility);
        services.AddSingleton(_registry.Services.GetRequiredService<TriageOptions>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _registry.Dispose();
        }
    }

    private sealed class NoClients : IClusterClients
    {
        public k8s.IKubernetes? Client(string cluster) => null;
    }

    private sealed class NoJournal : IReconcileJournal
    {
        public Task RecordAsync(IReadOnlyList<ReconcileSummary> summaries, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
