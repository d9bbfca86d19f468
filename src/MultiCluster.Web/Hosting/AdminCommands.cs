using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Data.Secrets;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Hosting;

/// <summary>
/// Operator commands that work on the configured registry without serving anything:
/// <c>admin create-token --user U --name N --expires 1d</c>, <c>admin create-user --user U --role Viewer</c>,
/// <c>admin create-service-account --user U --role Operator</c>,
/// <c>admin reset-password --user U</c>, <c>admin disable-user --user U</c>, <c>admin enable-user --user U</c>,
/// <c>admin revoke-tokens --user U</c>, <c>admin reencrypt-credentials</c>.
/// </summary>
public static class AdminCommands
{
    public const string Verb = "admin";
    private const string Actor = AuditLog.AdminCli;

    /// <summary>Splits the command line: what the host may read, and the admin command (or null).</summary>
    public static (string[] HostArgs, string[]? Command) Split(string[] args) =>
        args is [Verb, .. var rest] ? ([], rest) : (args, null);

    /// <summary>For admin commands stdout carries only the result (a token, a password); logs go to stderr.</summary>
    public static WebApplicationBuilder UseAdminConsole(this WebApplicationBuilder builder, string[]? command)
    {
        if (command is not null)
        {
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        return builder;
    }

    public static Task<int> RunAdminCommandAsync(this WebApplication app, string[] command) => RunAsync(app.Services, command);

    /// <summary>Runs one command on the registry of <paramref name="services"/>; the exit code is 0 when it did what it says.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] command)
    {
        try
        {
            _ = services.GetRequiredService<MasterKeyRing>();
            await services.MigrateRegistryAsync();
            await BootstrapAdmin.EnsureAsync(services, Console.Error);
            return command switch
            {
                ["create-token", .. var options] => await CreateTokenAsync(services, Options(options)),
                ["reset-password", .. var options] => await ResetPasswordAsync(services, Options(options)),
                ["create-user", .. var options] => await CreateUserAsync(services, Options(options)),
                ["create-service-account", .. var options] => await CreateUserAsync(services, Options(options), serviceAccount: true),
                ["disable-user", .. var options] => await SetDisabledAsync(services, Options(options), disabled: true),
                ["enable-user", .. var options] => await SetDisabledAsync(services, Options(options), disabled: false),
                ["revoke-tokens", .. var options] => await RevokeTokensAsync(services, Options(options)),
                ["reencrypt-credentials"] => await ReencryptAsync(services),
                _ => Usage(),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or RegistryUnavailableException or SecretConfigurationException or SecretUnreadableException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
    }

    private static async Task<int> CreateTokenAsync(IServiceProvider services, IReadOnlyDictionary<string, string> options)
    {
        var user = await FindUserAsync(services, Required(options, "user"));
        var lifetime = ParseLifetime(options.GetValueOrDefault("expires", "30d"));
        if (user.MustChangePassword)
        {
            await Console.Error.WriteLineAsync($"Note: {user.UserName} must choose a new password first; until then this token is refused, and choosing it revokes the token. For automation, use admin create-service-account.");
        }
        var created = await services.GetRequiredService<PersonalAccessTokens>().CreateAsync(user, Required(options, "name"), lifetime, Actor);
        // Only the token on stdout, so scripts can capture it.
        Console.WriteLine(created.Secret);
        await Console.Error.WriteLineAsync($"Token '{created.Token.Name}' for {user.UserName}, expires {created.Token.ExpiresAt:u}. It is not shown again.");
        return 0;
    }

    private static async Task<int> ResetPasswordAsync(IServiceProvider services, IReadOnlyDictionary<string, string> options)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var user = await users.FindByNameAsync(Required(options, "user")) ?? throw new ArgumentException($"No user is named '{options["user"]}'.");
        var password = BootstrapAdmin.NewPassword();
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        if (!reset.Succeeded)
        {
            throw new ArgumentException(string.Join(" ", reset.Errors.Select(e => e.Description)));
        }
        // The reset changed the security stamp: the user's sessions end. Their tokens end too: whoever had the old
        // password may have made them.
        user.MustChangePassword = true;
        // A local password now: the account no longer stands on an old single sign-on.
        user.SingleSignOnAt = null;
        await users.UpdateAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        var revoked = await scope.ServiceProvider.GetRequiredService<PersonalAccessTokens>().RevokeAllAsync(user, Actor, "password reset");
        await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(Actor, "user.reset-password", $"user/{user.UserName}", AuditOutcome.Succeeded, "one-time password issued");
        Console.WriteLine($"One-time password for {user.UserName}: {password}");
        Console.WriteLine($"It must be changed at the next sign-in; the user's sessions ended and {revoked} token(s) were revoked.");
        return 0;
    }

    /// <summary>
    /// A person (a one-time password to change at the first sign-in), or a service account for automation: no password,
    /// so it cannot sign in, and its tokens (made with create-token) work at once.
    /// </summary>
    private const string NoRole = "none";

    private static async Task<int> CreateUserAsync(IServiceProvider services, IReadOnlyDictionary<string, string> options, bool serviceAccount = false)
    {
        // "none": no fleet-wide role; what the person sees comes from their teams (Access).
        var role = options.GetValueOrDefault("role", DashboardRoles.Viewer);
        if (!DashboardRoles.All.Contains(role) && role != NoRole)
        {
            throw new ArgumentException($"--role '{role}' is not a role; use {string.Join(" or ", DashboardRoles.All)}, or {NoRole} (their teams decide what they see).");
        }
        if (AuditLog.IsReservedActor(Required(options, "user")))
        {
            throw new ArgumentException($"'{options["user"]}' is reserved for the dashboard itself in the audit log; choose another name.");
        }
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var user = new DashboardUser { UserName = Required(options, "user"), MustChangePassword = !serviceAccount, CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow() };
        var password = serviceAccount ? null : BootstrapAdmin.NewPassword();
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new ArgumentException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        if (role != NoRole)
        {
            await users.AddToRoleAsync(user, role);
        }
        await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(Actor, "user.create", $"user/{user.UserName}", AuditOutcome.Succeeded,
            serviceAccount ? $"service account, role {role}" : $"role {role}");
        Console.WriteLine(password is null
            ? $"Service account {user.UserName} ({role}): no password, it cannot sign in; make its tokens with admin create-token --user {user.UserName}."
            : $"One-time password for {user.UserName} ({role}): {password}");
        return 0;
    }

    /// <summary>A disabled user can do nothing (sign-in, sessions, tokens, hub streams) until enabled; their tokens are kept.</summary>
    private static async Task<int> SetDisabledAsync(IServiceProvider services, IReadOnlyDictionary<string, string> options, bool disabled)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var user = await users.FindByNameAsync(Required(options, "user")) ?? throw new ArgumentException($"No user is named '{options["user"]}'.");
        user.DisabledAt = disabled ? user.DisabledAt ?? services.GetRequiredService<TimeProvider>().GetUtcNow() : null;
        await users.UpdateAsync(user);
        // A new stamp ends the user's sessions and circuits at their next check.
        await users.UpdateSecurityStampAsync(user);
        await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(Actor, disabled ? "user.disable" : "user.enable", $"user/{user.UserName}", AuditOutcome.Succeeded);
        Console.WriteLine(disabled
            ? $"{user.UserName} is disabled: no sign-in, session, token or hub stream works until 'admin enable-user --user {user.UserName}'."
            : $"{user.UserName} is enabled again.");
        return 0;
    }

    private static async Task<int> RevokeTokensAsync(IServiceProvider services, IReadOnlyDictionary<string, string> options)
    {
        var user = await FindUserAsync(services, Required(options, "user"));
        var revoked = await services.GetRequiredService<PersonalAccessTokens>().RevokeAllAsync(user, Actor, "revoked by an administrator");
        Console.WriteLine($"Revoked {revoked} token(s) of {user.UserName}.");
        return 0;
    }

    private static async Task<int> ReencryptAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<RegistryDbContext>>().CreateDbContextAsync();
        var count = await services.GetRequiredService<CredentialVault>().ReencryptAsync(db);
        await services.GetRequiredService<AuditLog>().RecordAsync(Actor, "credentials.reencrypt", "credentials", AuditOutcome.Succeeded, $"{count} record(s) re-encrypted");
        Console.WriteLine($"Re-encrypted {count} cluster credential record(s) under master key {services.GetRequiredService<MasterKeyRing>().CurrentKeyId}.");
        return 0;
    }

    public static TimeSpan ParseLifetime(string text)
    {
        var unit = text.Length > 0 ? text[^1] : ' ';
        if (text.Length < 2 || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            throw new ArgumentException($"--expires '{text}' is not a duration such as 30m, 12h, 1d or 90d.");
        }
        return unit switch
        {
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => throw new ArgumentException($"--expires '{text}' is not a duration such as 30m, 12h, 1d or 90d."),
        };
    }

    private static async Task<DashboardUser> FindUserAsync(IServiceProvider services, string name)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>().FindByNameAsync(name)
            ?? throw new ArgumentException($"No user is named '{name}'.");
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected '{args[i]}'. {UsageText}");
            }
            options[args[i][2..]] = args[++i];
        }
        return options;
    }

    private static string Required(IReadOnlyDictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new ArgumentException($"--{name} is required. {UsageText}");

    private const string UsageText =
        "Usage: admin create-token --user NAME --name TOKEN-NAME [--expires 30d] | admin create-user --user NAME [--role Viewer|Operator|Administrator] | " +
        "admin create-service-account --user NAME [--role Viewer|Operator|Administrator] | " +
        "admin reset-password --user NAME | admin disable-user --user NAME | admin enable-user --user NAME | admin revoke-tokens --user NAME | admin reencrypt-credentials";

    private static int Usage()
    {
        Console.Error.WriteLine(UsageText);
        return 2;
    }
}
