using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data;
using MultiCluster.Data.Entities;
using MultiCluster.Web.Hosting;
using MultiCluster.Web.Hubs;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Tests;

/// <summary>Credentials end when they should: tokens after a reset, a password change or a disable; hub streams after a revocation.</summary>
public sealed class CredentialTests : IAsyncLifetime
{
    // Streams check their caller every second here (30 s by default), so a revocation shows within seconds.
    private readonly TestDashboard _dashboard = new(("Hub:RecheckInterval", "00:00:01"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task A_token_stops_working_after_admin_reset_password()
    {
        var user = await _dashboard.CreateUserAsync("ci-bot", DashboardRoles.Viewer);
        using var api = _dashboard.ApiClient(await _dashboard.TokenForAsync(user));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/clusters")).StatusCode);

        Assert.Equal(0, await AdminCommands.RunAsync(_dashboard.Services, ["reset-password", "--user", "ci-bot"]));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/clusters")).StatusCode);
        // A token made after the reset, while the password must still change, is refused too.
        using var fresh = _dashboard.ApiClient(await _dashboard.TokenForAsync(await UserAsync("ci-bot")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.GetAsync("/api/v1/clusters")).StatusCode);
    }

    [Fact]
    public async Task A_token_stops_working_after_the_user_changes_their_password()
    {
        var user = await _dashboard.CreateUserAsync("dana", DashboardRoles.Operator);
        using var api = _dashboard.ApiClient(await _dashboard.TokenForAsync(user));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/clusters")).StatusCode);

        await using (var scope = _dashboard.Services.CreateAsyncScope())
        {
            var passwords = scope.ServiceProvider.GetRequiredService<AccountPasswords>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
            Assert.Null(await passwords.ChangeAsync((await users.FindByNameAsync("dana"))!, TestDashboard.Password, "another-long-password"));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/clusters")).StatusCode);
    }

    [Fact]
    public async Task Disabling_a_user_refuses_their_tokens_and_enabling_them_brings_the_tokens_back()
    {
        var user = await _dashboard.CreateUserAsync("erin", DashboardRoles.Viewer);
        using var api = _dashboard.ApiClient(await _dashboard.TokenForAsync(user));

        Assert.Equal(0, await AdminCommands.RunAsync(_dashboard.Services, ["disable-user", "--user", "erin"]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/clusters")).StatusCode);
        using var browser = _dashboard.BrowserClient();
        Assert.Equal("This account is disabled. Ask an administrator.",
            await TestDashboard.SignInErrorAsync(await TestDashboard.PostSignInAsync(browser, "erin", TestDashboard.Password)));

        Assert.Equal(0, await AdminCommands.RunAsync(_dashboard.Services, ["enable-user", "--user", "erin"]));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/clusters")).StatusCode);

        Assert.Equal(0, await AdminCommands.RunAsync(_dashboard.Services, ["revoke-tokens", "--user", "erin"]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/clusters")).StatusCode);
    }

    [Fact]
    public async Task A_hub_subscription_ends_with_the_reason_once_its_token_is_revoked()
    {
        var user = await _dashboard.CreateUserAsync("pager", DashboardRoles.Viewer);
        var token = await _dashboard.TokenForAsync(user);
        await using var connection = _dashboard.FleetHubConnection(token);
        await connection.StartAsync();
        var messages = Channel.CreateUnbounded<FleetBatchMessage>();
        var stream = Task.Run(async () =>
        {
            await foreach (var message in connection.StreamAsync<FleetBatchMessage>("Subscribe", new FleetSubscriptionRequest(["clusters"])))
            {
                await messages.Writer.WriteAsync(message);
            }
        });
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(35));
        Assert.True((await messages.Reader.ReadAsync(patience.Token)).Reset, "The stream starts with its snapshot.");

        Assert.Equal(0, await AdminCommands.RunAsync(_dashboard.Services, ["revoke-tokens", "--user", "pager"]));

        var ended = await Assert.ThrowsAsync<HubException>(() => stream.WaitAsync(patience.Token));
        Assert.Contains("The token was revoked or has expired.", ended.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_sign_on_users_token_stops_when_their_last_sign_in_through_the_provider_is_too_old()
    {
        var user = await _dashboard.CreateUserAsync("sso-sam", DashboardRoles.Administrator);
        using var api = _dashboard.ApiClient(await _dashboard.TokenForAsync(user));
        var time = _dashboard.Services.GetRequiredService<TimeProvider>();

        await SetSingleSignOnAtAsync("sso-sam", time.GetUtcNow() - TimeSpan.FromHours(11));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/clusters")).StatusCode);

        // Removed from the admin group at the provider: the dashboard learns nothing until the next sign-in there,
        // so after Authentication:Oidc:MaxAge (12 h) the account's tokens stop.
        await SetSingleSignOnAtAsync("sso-sam", time.GetUtcNow() - TimeSpan.FromHours(13));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/clusters")).StatusCode);
    }

    [Fact]
    public async Task Names_the_dashboard_uses_for_itself_cannot_be_given_to_people()
    {
        Assert.Equal(2, await AdminCommands.RunAsync(_dashboard.Services, ["create-user", "--user", "system:demo", "--role", "Administrator"]));
        Assert.Equal(2, await AdminCommands.RunAsync(_dashboard.Services, ["create-user", "--user", "admin-cli"]));
        Assert.Equal(0, await AdminCommands.RunAsync(_dashboard.Services, ["create-user", "--user", "systemd-fan", "--role", "Operator"]));
    }

    [Fact]
    public async Task Sign_out_needs_the_forms_antiforgery_token()
    {
        await _dashboard.CreateUserAsync("olga", DashboardRoles.Viewer);
        using var browser = await _dashboard.SignedInBrowserAsync("olga");

        using var forged = await browser.PostAsync("/account/logout", null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        // Still signed in: the profile page answers instead of sending to the sign-in page.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/profile")).StatusCode);
    }

    private async Task SetSingleSignOnAtAsync(string name, DateTimeOffset at)
    {
        await using var scope = _dashboard.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var user = (await users.FindByNameAsync(name))!;
        user.SingleSignOnAt = at;
        Assert.True((await users.UpdateAsync(user)).Succeeded);
    }

    private async Task<DashboardUser> UserAsync(string name)
    {
        await using var scope = _dashboard.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>().FindByNameAsync(name))!;
    }
}
