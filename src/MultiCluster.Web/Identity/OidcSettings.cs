namespace MultiCluster.Web.Identity;

/// <summary>
/// <c>Authentication:Oidc</c>: single sign-on through an OpenID Connect provider, next to local accounts.
/// Off unless <see cref="Authority"/> and <see cref="ClientId"/> are set.
/// </summary>
public sealed class OidcSettings
{
    public const string Section = "Authentication:Oidc";
    public const string Scheme = "oidc";

    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The name on the sign-in button.</summary>
    public string DisplayName { get; set; } = "single sign-on";

    public string Scopes { get; set; } = "openid profile email";

    /// <summary>Members of these groups (the <c>groups</c> claim, comma-separated) become Administrators; everyone else a Viewer.</summary>
    public string? AdministratorGroups { get; set; }

    /// <summary>Members of these groups become Operators (unless they are Administrators); everyone else a Viewer.</summary>
    public string? OperatorGroups { get; set; }

    /// <summary>When set, only these groups' members are Viewers; anyone else holds no fleet-wide role and sees what their teams give.</summary>
    public string? ViewerGroups { get; set; }

    /// <summary>
    /// How long a single sign-on counts, like a session: after it, the account's sessions and tokens stop until the person
    /// signs in through the provider again, so a change of groups there (or a removed person) reaches the dashboard within it.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Only for tests and labs: allow a provider served over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);

    public static OidcSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<OidcSettings>() ?? new OidcSettings();
}
