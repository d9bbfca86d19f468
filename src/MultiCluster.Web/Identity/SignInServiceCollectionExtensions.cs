using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Health;

namespace MultiCluster.Web.Identity;

public static class SignInServiceCollectionExtensions
{
    public const string LoginPath = "/account/login";

    /// <summary>
    /// Local accounts (ASP.NET Core Identity in the registry) with cookie sign-in and lockout. Everything
    /// requires a signed-in user unless it says otherwise (the fallback policy), so a new endpoint is
    /// protected even when its author forgets.
    /// </summary>
    public static IServiceCollection AddDashboardSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();

        var authentication = services.AddAuthentication(o =>
        {
            o.DefaultScheme = IdentityConstants.ApplicationScheme;
            o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        });
        authentication.AddIdentityCookies();
        authentication.AddScheme<AuthenticationSchemeOptions, PersonalAccessTokenHandler>(PersonalAccessTokenHandler.SchemeName, null);
        authentication.AddSingleSignOn(configuration);

        services.AddIdentityCore<DashboardUser>(o =>
            {
                // Length over composition rules (NIST SP 800-63B).
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                // No lockout after failed passwords: a stranger could lock anyone out (and their automation with them).
                // The sign-in form is rate limited per client address instead (SignInThrottling).
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<RegistryDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<DashboardClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
        services.AddSingleton<UserStanding>();
        services.AddSingleton<VerifiedTokens>();
        services.AddScoped<AccountPasswords>();
        services.AddOptions<SignInThrottleOptions>().BindConfiguration(SignInThrottleOptions.Section)
            .Validate(o => o.AttemptsPerWindow > 0 && o.Window > TimeSpan.Zero && o.AuditInterval > TimeSpan.Zero,
                "SignIn:AttemptsPerWindow, SignIn:Window and SignIn:AuditInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddHostedService(sp => sp.GetRequiredService<SignInThrottle>());
        // Other sessions of a user end within a minute of a password change, a reset, a disable or a new role.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "mc-session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = LoginPath;
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidateSessionAsync;
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        // Outside Development the session cookie is only ever sent over HTTPS (behind a proxy, see ForwardedHeaders).
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IHostEnvironment>((o, environment) =>
            o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            // What a user may do: one policy per action (DashboardActions), combined with how they signed in.
            .AddActionPolicies()
            // The JSON API takes personal access tokens only: no cookie, so no cross-site request can use it.
            .AddPolicy(DashboardPolicies.Api, p => p.AddAuthenticationSchemes(PersonalAccessTokenHandler.SchemeName).RequireAuthenticatedUser())
            // The hub and log downloads serve signed-in browsers and tools with a token alike.
            .AddPolicy(DashboardPolicies.CookieOrToken, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, PersonalAccessTokenHandler.SchemeName).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>
    /// The security stamp check (password changed or reset, disabled, roles changed: the session ends), then the age of a
    /// single sign-on: a session does not outlive <see cref="OidcSettings.MaxAge"/> by sliding.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        try
        {
            await SecurityStampValidator.ValidatePrincipalAsync(context);
        }
        // The registry does not answer: a session it confirmed lately (the cookie is renewed at each check) goes on, so
        // pages keep showing live state; an older one gets the outage page until the registry can check it.
        catch (Exception ex) when (RegistryOutage.Explains(ex, context.HttpContext.RequestServices.GetRequiredService<RegistryAvailability>())
            && context.Properties.IssuedUtc is { } checkedAt
            && context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() - checkedAt <= RegistryOutage.CredentialGrace)
        {
        }
        if (context.Principal?.FindFirst(DashboardClaimsPrincipalFactory.SingleSignOnAtClaim)?.Value is { } value
            && long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            var services = context.HttpContext.RequestServices;
            var age = services.GetRequiredService<TimeProvider>().GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
            if (age > services.GetRequiredService<OidcSettings>().MaxAge)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            }
        }
    }

    /// <summary>Machines (the API, the hub) get a status code; people get the sign-in page.</summary>
    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsForMachines(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static bool IsForMachines(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/_blazor")
        || request.Path.StartsWithSegments(Telemetry.TelemetryServiceCollectionExtensions.MetricsPath)
        || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
}

/// <summary>How a caller signs in; what they may do is <see cref="DashboardActions"/>.</summary>
public static class DashboardPolicies
{
    public const string Api = "Api";
    public const string CookieOrToken = "CookieOrToken";
}
