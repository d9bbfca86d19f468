using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Identity;

/// <summary>
/// OpenID Connect sign-in (authorization code with PKCE) when <c>Authentication:Oidc</c> is configured. A
/// person who signs in this way gets a dashboard account linked to their subject; their role follows
/// their groups at every sign-in, and their sessions and tokens stand for <see cref="OidcSettings.MaxAge"/> after it.
/// </summary>
public static class SingleSignOn
{
    public const string LoginPath = "/account/external-login";
    public const string CallbackPath = "/account/external-callback";

    public static AuthenticationBuilder AddSingleSignOn(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var settings = OidcSettings.From(configuration);
        authentication.Services.AddSingleton(settings);
        if (!settings.IsEnabled)
        {
            return authentication;
        }
        return authentication.AddOpenIdConnect(OidcSettings.Scheme, settings.DisplayName, o =>
        {
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = false;
            o.CallbackPath = "/signin-oidc";
            o.Scope.Clear();
            foreach (var scope in settings.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                o.Scope.Add(scope);
            }
            if (!settings.RequireHttpsMetadata)
            {
                // A lab provider over plain HTTP: browsers drop SameSite=None cookies that are not Secure, so the
                // correlation cookies are Lax there (enough when provider and dashboard are the same site).
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
            }
        });
    }

    public static IEndpointRouteBuilder MapSingleSignOn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, (string? returnUrl, SignInManager<DashboardUser> signIn, OidcSettings settings) =>
        {
            if (!settings.IsEnabled)
            {
                return Results.NotFound();
            }
            var callback = $"{CallbackPath}?returnUrl={Uri.EscapeDataString(LocalUrl.OrHome(returnUrl))}";
            return Results.Challenge(signIn.ConfigureExternalAuthenticationProperties(OidcSettings.Scheme, callback), [OidcSettings.Scheme]);
        }).AllowAnonymous();

        endpoints.MapGet(CallbackPath, async (string? returnUrl, HttpContext http, SignInManager<DashboardUser> signIn, OidcSettings settings, AuditLog audit, TimeProvider time) =>
        {
            var info = await signIn.GetExternalLoginInfoAsync();
            if (info is null)
            {
                return Results.LocalRedirect($"{SignInServiceCollectionExtensions.LoginPath}?error=sso");
            }
            var users = signIn.UserManager;
            var user = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
            var name = info.Principal.FindFirstValue("preferred_username") ?? info.Principal.FindFirstValue("email") ?? info.ProviderKey;
            if (user is null)
            {
                if (AuditLog.IsReservedActor(name))
                {
                    await audit.RecordAsync(AuditLog.Anonymous, AuditActions.SignIn, $"user/{name}", AuditOutcome.Denied, "single sign-on name is reserved for the dashboard itself");
                    return Results.LocalRedirect($"{SignInServiceCollectionExtensions.LoginPath}?error=sso-name-reserved");
                }
                if (await users.FindByNameAsync(name) is not null)
                {
                    await audit.RecordAsync(name, AuditActions.SignIn, $"user/{name}", AuditOutcome.Denied, "single sign-on name taken by a local account");
                    return Results.LocalRedirect($"{SignInServiceCollectionExtensions.LoginPath}?error=sso-name-taken");
                }
                user = new DashboardUser { UserName = name, Email = info.Principal.FindFirstValue("email"), CreatedAt = time.GetUtcNow() };
                var created = await users.CreateAsync(user);
                if (!created.Succeeded || !(await users.AddLoginAsync(user, info)).Succeeded)
                {
                    return Results.LocalRedirect($"{SignInServiceCollectionExtensions.LoginPath}?error=sso");
                }
            }
            if (user.DisabledAt is not null)
            {
                await audit.RecordAsync(user.UserName!, AuditActions.SignIn, $"user/{user.UserName}", AuditOutcome.Denied, "account disabled");
                return Results.LocalRedirect($"{SignInServiceCollectionExtensions.LoginPath}?error=disabled");
            }
            // The provider vouched for the person just now: sessions and tokens stand for OidcSettings.MaxAge from here.
            user.SingleSignOnAt = time.GetUtcNow();
            await users.UpdateAsync(user);
            await SyncRoleAsync(users, user, info.Principal, settings);
            await http.SignOutAsync(IdentityConstants.ExternalScheme);
            await signIn.SignInAsync(user, isPersistent: false, OidcSettings.Scheme);
            await audit.RecordAsync(user.UserName!, AuditActions.SignIn, $"user/{user.UserName}", AuditOutcome.Succeeded, "via single sign-on");
            return Results.LocalRedirect(LocalUrl.OrHome(returnUrl));
        }).AllowAnonymous();
        return endpoints;
    }

    private static async Task SyncRoleAsync(UserManager<DashboardUser> users, DashboardUser user, ClaimsPrincipal principal, OidcSettings settings)
    {
        var groups = principal.FindAll("groups").Select(g => g.Value).ToHashSet(StringComparer.Ordinal);
        bool MemberOf(string? list) => (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(groups.Contains);
        var role = MemberOf(settings.AdministratorGroups) ? DashboardRoles.Administrator
            : MemberOf(settings.OperatorGroups) ? DashboardRoles.Operator
            : string.IsNullOrWhiteSpace(settings.ViewerGroups) || MemberOf(settings.ViewerGroups) ? DashboardRoles.Viewer
            : null;
        var current = await users.GetRolesAsync(user);
        var stale = current.Where(r => r != role).ToList();
        if (stale.Count > 0)
        {
            await users.RemoveFromRolesAsync(user, stale);
        }
        if (role is not null && !current.Contains(role))
        {
            await users.AddToRoleAsync(user, role);
        }
        // The groups decide team membership (Access): kept on the account, so the cookie and the person's tokens carry them.
        var kept = (await users.GetClaimsAsync(user)).Where(c => c.Type == Access.ClusterVisibility.GroupsClaim).ToList();
        var gone = kept.Where(c => !groups.Contains(c.Value)).ToList();
        if (gone.Count > 0)
        {
            await users.RemoveClaimsAsync(user, gone);
        }
        var added = groups.Where(g => kept.All(c => c.Value != g)).Select(g => new Claim(Access.ClusterVisibility.GroupsClaim, g)).ToList();
        if (added.Count > 0)
        {
            await users.AddClaimsAsync(user, added);
        }
    }
}
