using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MultiCluster.Core.Access;
using MultiCluster.Core.Fleet;
using MultiCluster.Core.Reconcile;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Access;
using MultiCluster.Web.Identity;

namespace MultiCluster.Components.Tests;

/// <summary>
/// The Access pages over a real registry (SQLite) and store: teams and grants are saved through the dashboard's own
/// service; the engine is not started, so the grants' targets are the ones a test puts in the store, as the engine would.
/// </summary>
public abstract class AccessTestContext : QuotaTestContext
{
    /// <summary>payments: bea is its admin, carl a member; its grants may give view or edit in pay-* of env=prod clusters.</summary>
    protected static readonly Team Payments = new()
    {
        Name = "payments", Description = "The payments squad", DashboardRole = "Operator",
        Members = [new TeamMember(MemberKind.User, "bea", IsAdmin: true), new TeamMember(MemberKind.User, "carl")],
        Ceiling = new TeamCeiling { ClusterSelector = "env=prod", NamespacePatterns = ["pay-*"], Roles = ["view", "edit"] },
    };

    protected static readonly AccessGrant PaymentsView = new() { Name = "payments-view", Team = "payments", Role = "view", ClusterSelector = "env=prod", NamespacePatterns = ["pay-*"] };

    protected AccessPolicies Access => field ??= new AccessPolicies(Registry.GetRequiredService<AccessStore>(), AccessSource, Store, Visibility, Registry.GetRequiredService<AuditLog>(),
        EngineOf(AccessSource.Grants), TimeProvider.System, NullLogger<AccessPolicies>.Instance);

    /// <summary>Saves <paramref name="team"/> as an Administrator would, failing the test when it is refused.</summary>
    protected async Task<Team> SaveAsync(Team team)
    {
        var result = await Access.SaveTeamAsync(Admin, team, null);
        Assert.True(result.Saved is not null, string.Join(" ", result.Problems));
        return result.Saved!;
    }

    protected async Task<AccessGrant> SaveAsync(AccessGrant grant)
    {
        var result = await Access.SaveGrantAsync(Admin, grant, null);
        Assert.True(result.Saved is not null, string.Join(" ", result.Problems));
        return result.Saved!;
    }

    /// <summary>Signed in as <paramref name="name"/> with no dashboard role: what every signed-in user may do, and nothing else.</summary>
    protected void SignInWithoutRole(string name)
    {
        Authorization.SetAuthorized(name);
        Authorization.SetRoles();
        Authorization.SetPolicies([.. DashboardActions.Roles.Where(a => a.Value.Count == 0).Select(a => a.Key)]);
    }

    protected static PolicyTarget GrantTarget(string grant, string cluster, string? ns, TargetState state) => new()
    {
        Cluster = cluster, OwnerKind = AccessGrant.OwnerKind, Owner = grant, Namespace = ns, Mode = PolicyMode.Enforce, Since = DateTimeOffset.UtcNow.AddMinutes(-2),
        Objects = [new ObjectState(ns is null ? RbacFields.ClusterRoleBinding : RbacFields.RoleBinding, "mc-payments-view", state)],
    };

    protected static FleetChange InSync(string grant, string cluster, string ns) => FleetChange.Upsert(GrantTarget(grant, cluster, ns, TargetState.Of(TargetStatus.InSync)));

    /// <summary>The dialog provider, for editors and confirmations; render it before the page.</summary>
    protected IRenderedComponent<MudDialogProvider> Dialogs() => Render<MudDialogProvider>();

    protected override void AddServices(IServiceCollection services)
    {
        base.AddServices(services);
        services.AddSingleton(_ => Access);
        services.AddSingleton(sp => new CanIReviews(Visibility, ActivatorUtilities.CreateInstance<MultiCluster.Web.Fleet.ClusterClients>(Registry),
            AccessSource, Registry.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<RegistryDbContext>>(), TimeProvider.System, NullLogger<CanIReviews>.Instance));
    }
}
