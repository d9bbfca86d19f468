using System.Security.Claims;

namespace MultiCluster.Web.Identity;

/// <summary>
/// Which clusters a user may see in the dashboard. For now a user who may read the fleet (any dashboard role)
/// sees every cluster and a user without a role sees none; per-cluster grants come with the Access issue.
/// </summary>
public static class ClusterAccess
{
    public static bool CanSee(ClaimsPrincipal user, string cluster) =>
        user.May(DashboardActions.ReadFleet);

    public static Func<string, bool> Visible(ClaimsPrincipal user) => cluster => CanSee(user, cluster);

    /// <summary>The items of <paramref name="items"/> that belong to clusters <paramref name="user"/> may see.</summary>
    public static IEnumerable<T> VisibleTo<T>(this IEnumerable<T> items, ClaimsPrincipal user) where T : MultiCluster.Core.Fleet.IFleetObject =>
        items.Where(item => CanSee(user, item.Cluster));
}
