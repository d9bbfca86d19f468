using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using MultiCluster.Core.Access;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Access;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Demo;

/// <summary>
/// Access in the demo: two teams and two people without a fleet-wide role, so a new user can sign in as a team admin
/// and as a member and see the difference. pat admins payments (Operator on prod-us-east); mia is a member of payments
/// and admins search (Viewer on prod-eu-west): Operator for payments' cluster, Viewer for search's, nothing of dev.
/// </summary>
internal static class DemoAccess
{
    public static readonly Team Payments = new()
    {
        Name = "payments", Description = "The payments squad (demo).", DashboardRole = DashboardRoles.Operator,
        Members = [new TeamMember(MemberKind.User, "pat", IsAdmin: true), new TeamMember(MemberKind.User, "mia")],
        Ceiling = new TeamCeiling { ClusterSelector = "team=payments", NamespacePatterns = ["team-*"], Roles = ["view", "edit"] },
    };

    public static readonly Team Search = new()
    {
        Name = "search", Description = "The search squad (demo).", DashboardRole = DashboardRoles.Viewer,
        Members = [new TeamMember(MemberKind.User, "mia", IsAdmin: true)],
        Ceiling = new TeamCeiling { ClusterSelector = "team=search", NamespacePatterns = ["team-*"], Roles = ["view"] },
    };

    public static readonly AccessGrant PaymentsEdit = new() { Name = "payments-edit", Team = "payments", Role = "edit", ClusterSelector = "team=payments", NamespacePatterns = ["team-a"] };

    public static readonly AccessGrant SearchView = new() { Name = "search-view", Team = "search", Role = "view", ClusterSelector = "team=search", NamespacePatterns = ["team-*"] };

    /// <summary>
    /// Saves the teams and grants as the demo's administrator and creates the two people with one-time passwords,
    /// printed to <paramref name="console"/> when given (Development only). Null when all went well, else what did not.
    /// </summary>
    public static async Task<string?> SaveAsync(IServiceProvider services, ClaimsPrincipal demo, TextWriter? console, CancellationToken cancellationToken)
    {
        var access = services.GetRequiredService<AccessPolicies>();
        var problems = new List<string>();
        foreach (var team in new[] { Payments, Search })
        {
            problems.AddRange((await access.SaveTeamAsync(demo, team, null, cancellationToken)).Problems);
        }
        foreach (var grant in new[] { PaymentsEdit, SearchView })
        {
            problems.AddRange((await access.SaveGrantAsync(demo, grant, null, cancellationToken)).Problems);
        }
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var passwords = new List<(string User, string Password)>();
        foreach (var name in new[] { "pat", "mia" })
        {
            if (await users.FindByNameAsync(name) is not null)
            {
                continue;
            }
            var password = BootstrapAdmin.NewPassword();
            var created = await users.CreateAsync(new DashboardUser { UserName = name, MustChangePassword = true, CreatedAt = time.GetUtcNow() }, password);
            if (created.Succeeded)
            {
                passwords.Add((name, password));
            }
            else
            {
                problems.AddRange(created.Errors.Select(e => $"{name}: {e.Description}"));
            }
        }
        if (console is not null && passwords.Count > 0)
        {
            await console.WriteLineAsync();
            await console.WriteLineAsync("  ┌──────────────────────────────────────────────────────────────");
            await console.WriteLineAsync("  │ Demo people (no dashboard role; what they see comes from their teams):");
            foreach (var (user, password) in passwords)
            {
                var what = user == "pat" ? "admin of team payments" : "member of payments, admin of search";
                await console.WriteLineAsync($"  │ {user} ({what}): one-time password {password}");
            }
            await console.WriteLineAsync("  │ Each chooses a new password at first sign-in. Shown only once, in Development only.");
            await console.WriteLineAsync("  └──────────────────────────────────────────────────────────────");
            await console.FlushAsync(cancellationToken);
        }
        return problems.Count == 0 ? null : string.Join(" ", problems);
    }
}
