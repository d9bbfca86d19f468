using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Identity;

/// <summary>
/// The first start of an empty registry creates the <c>admin</c> account. Its one-time password comes from
/// MC_BOOTSTRAP_PASSWORD or is generated and printed once to the console (never to the log); it must be
/// changed at first sign-in.
/// </summary>
public static partial class BootstrapAdmin
{
    public const string UserName = "admin";
    public const string PasswordVariable = "MC_BOOTSTRAP_PASSWORD";

    /// <param name="console">Where the one-time password is printed: the console, or stderr for admin commands whose stdout is for scripts.</param>
    public static async Task EnsureAsync(IServiceProvider services, TextWriter console, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in DashboardRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create the {role} role");
            }
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        if (users.Users.Any())
        {
            return;
        }
        var configured = scope.ServiceProvider.GetRequiredService<IConfiguration>()[PasswordVariable];
        var password = string.IsNullOrEmpty(configured) ? NewPassword() : configured;
        var admin = new DashboardUser
        {
            UserName = UserName,
            MustChangePassword = true,
            CreatedAt = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new BootstrapAdminException(
                $"{PasswordVariable} cannot be the bootstrap admin's password: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }
        Check(await users.AddToRoleAsync(admin, DashboardRoles.Administrator), "make admin an Administrator");
        await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(
            "system", AuditActions.BootstrapAdmin, $"user/{UserName}", AuditOutcome.Succeeded,
            string.IsNullOrEmpty(configured) ? "one-time password generated" : $"password from {PasswordVariable}", cancellationToken);

        LogCreated(scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootstrapAdmin)), UserName);
        await console.WriteLineAsync();
        await console.WriteLineAsync("  ┌──────────────────────────────────────────────────────────────");
        await console.WriteLineAsync($"  │ MultiCluster bootstrap administrator: user '{UserName}'");
        await console.WriteLineAsync(string.IsNullOrEmpty(configured)
            ? $"  │ one-time password: {password}"
            : $"  │ password: the one given in {PasswordVariable}");
        await console.WriteLineAsync("  │ You will choose a new password at first sign-in. This is shown only once.");
        await console.WriteLineAsync("  └──────────────────────────────────────────────────────────────");
        await console.WriteLineAsync();
        await console.FlushAsync(cancellationToken);
    }

    /// <summary>Twenty characters from an alphabet without look-alikes (no 0/O, 1/l/I).</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new BootstrapAdminException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Created the bootstrap administrator '{UserName}'; its one-time password was printed to the console")]
    private static partial void LogCreated(ILogger logger, string userName);
}

public sealed class BootstrapAdminException(string message) : Exception(message);
