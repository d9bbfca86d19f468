using MultiCluster.Core.Access;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Hosting;

namespace MultiCluster.Web.Access;

public static class AccessServiceCollectionExtensions
{
    public const string Section = "Access";

    /// <summary>Teams and grants kept in every cluster's RBAC by the engine (<c>Access:GroupPrefix</c>, <c>Access:BindIdpGroups</c>), and the fleet-wide roles' bindings (<c>Access:BindFleetRoles</c>, on by default).</summary>
    public static IServiceCollection AddAccess(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var options = new AccessOptions
        {
            GroupPrefix = section["GroupPrefix"] is { Length: > 0 } prefix ? prefix : AccessGrant.DefaultGroupPrefix,
            BindIdpGroups = section.GetValue<bool>("BindIdpGroups"),
            BindFleetRoles = section.GetValue("BindFleetRoles", true),
        };
        // The prefix travels as an impersonated group and is bound in every cluster: a system: one would be Kubernetes' own.
        services.AddOptions<GroupPrefixSetting>().Configure(s => s.GroupPrefix = options.GroupPrefix)
            .Validate(s => s.GroupPrefix.Length > 0 && !s.GroupPrefix.StartsWith("system:", StringComparison.OrdinalIgnoreCase)
                && s.GroupPrefix.All(c => c is > ' ' and < (char)127 && c != ','),
                "Access:GroupPrefix must be printable ASCII without blanks or commas, and must not start with system: (Kubernetes' own groups).")
            .ValidateOnStart();
        services.AddReconcileEngine(configuration);
        services.AddAccessReconciler(options);
        services.AddSingleton<ClusterVisibility>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ClusterActionHandler>();
        services.AddSingleton<CanIReviews>();
        services.AddSingleton<AccessPolicies>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessPolicies>());
        return services;
    }
}

/// <summary><c>Access:GroupPrefix</c> as read, checked at start-up.</summary>
public sealed class GroupPrefixSetting
{
    public string GroupPrefix { get; set; } = "";
}
