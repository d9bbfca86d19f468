using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Tests;

/// <summary>Guessing passwords is throttled per client address; it never locks the account or its automation out.</summary>
public sealed class SignInThrottleTests : IAsyncLifetime
{
    private readonly TestDashboard _dashboard = new(("SignIn:AttemptsPerWindow", "5"), ("SignIn:Window", "01:00:00"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Wrong_passwords_from_a_stranger_throttle_the_stranger_and_leave_the_users_token_working()
    {
        var admin = await _dashboard.CreateUserAsync("ops-admin", DashboardRoles.Administrator);
        using var automation = _dashboard.ApiClient(await _dashboard.TokenForAsync(admin));

        using var stranger = _dashboard.BrowserClient("127.0.0.66");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var answer = await TestDashboard.SignInErrorAsync(await TestDashboard.PostSignInAsync(stranger, "ops-admin", $"guess-number-{attempt}"));
            Assert.Equal("The user name or password is not right.", answer);
        }
        // The address has used up its failures: even the right password waits ...
        Assert.Equal("Too many sign-in attempts from your address. Wait a minute, then try again.",
            await TestDashboard.SignInErrorAsync(await TestDashboard.PostSignInAsync(stranger, "ops-admin", TestDashboard.Password)));

        // ... and the account is not locked: its token works, and so does its password from elsewhere.
        Assert.Equal(HttpStatusCode.OK, (await automation.GetAsync("/api/v1/clusters")).StatusCode);
        using var colleague = _dashboard.BrowserClient("127.0.0.77");
        using var signedIn = await TestDashboard.PostSignInAsync(colleague, "ops-admin", TestDashboard.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Fact]
    public async Task Guesses_sent_all_at_once_count_as_much_as_guesses_sent_one_by_one()
    {
        await _dashboard.CreateUserAsync("target", DashboardRoles.Administrator);
        using var stranger = _dashboard.BrowserClient("127.0.0.88");

        var form = await TestDashboard.SignInFormTokenAsync(stranger);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async attempt =>
            await TestDashboard.SignInErrorAsync(await TestDashboard.PostSignInAsync(stranger, form, "target", $"guess-{attempt}"))));

        Assert.Equal(5, answers.Count(a => a == "The user name or password is not right."));
        Assert.Equal(15, answers.Count(a => a == "Too many sign-in attempts from your address. Wait a minute, then try again."));
    }

    [Fact]
    public async Task Unknown_names_and_known_names_get_the_same_answer()
    {
        await _dashboard.CreateUserAsync("known", DashboardRoles.Viewer);
        using var browser = _dashboard.BrowserClient();
        var known = await TestDashboard.SignInErrorAsync(await TestDashboard.PostSignInAsync(browser, "known", "not-the-password"));
        var unknown = await TestDashboard.SignInErrorAsync(await TestDashboard.PostSignInAsync(browser, "nobody-here", "not-the-password"));
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task Failed_sign_ins_reach_the_audit_log_as_one_entry_not_one_each()
    {
        using var browser = _dashboard.BrowserClient();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            await TestDashboard.PostSignInAsync(browser, attempt % 2 == 0 ? "admin" : "ghost", "wrong-password");
        }
        await _dashboard.Services.GetRequiredService<SignInThrottle>().AuditAsync();

        var entries = (await _dashboard.Services.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery { Action = AuditActions.SignIn })).Entries;
        var entry = Assert.Single(entries);
        Assert.Equal((AuditLog.Anonymous, "4 failed sign-in(s): user names admin ×2, ghost ×2"), (entry.Actor, entry.Detail![..entry.Detail!.IndexOf(';', StringComparison.Ordinal)]));
    }
}
