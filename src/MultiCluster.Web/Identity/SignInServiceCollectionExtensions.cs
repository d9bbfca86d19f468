using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

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
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<RegistryDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<DashboardClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

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
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(DashboardPolicies.Administrator, p => p.RequireRole(DashboardRoles.Administrator))
            // The JSON API takes personal access tokens only: no cookie, so no cross-site request can use it.
            .AddPolicy(DashboardPolicies.Api, p => p.AddAuthenticationSchemes(PersonalAccessTokenHandler.SchemeName).RequireAuthenticatedUser())
            // The hub serves signed-in browsers and tools with a token alike.
            .AddPolicy(DashboardPolicies.Hub, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, PersonalAccessTokenHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(DashboardPolicies.ApiAdministrator, p => p.AddAuthenticationSchemes(PersonalAccessTokenHandler.SchemeName).RequireRole(DashboardRoles.Administrator));
        return services;
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
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/_blazor");
}

public static class DashboardPolicies
{
    public const string Administrator = "Administrator";
    public const string Api = "Api";
    public const string ApiAdministrator = "ApiAdministrator";
    public const string Hub = "Hub";
}
