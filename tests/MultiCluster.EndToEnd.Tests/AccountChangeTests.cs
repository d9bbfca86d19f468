using System.Diagnostics;
using Microsoft.Playwright;
using MultiCluster.Data.Tests;
using Xunit.Abstractions;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>On PostgreSQL, an account changed by another process (the admin console, another replica) is checked again by open pages at once.</summary>
public sealed class AccountChangeTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task An_open_page_of_an_account_disabled_with_the_admin_console_signs_out_within_seconds_not_at_the_minute_s_check()
    {
        await using var database = await TestPostgres.CreateEmptyDatabaseAsync();
        await using var dashboard = await DashboardProcess.StartOnPostgresAsync(database.ConnectionString);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard, "/clusters");

        var (disabled, _, error) = await dashboard.RunAdminAsync("disable-user", "--user", "admin");
        Assert.True(disabled == 0, error);
        var clock = Stopwatch.StartNew();
        // The circuit's own check comes every minute; the registry's notification brings it now.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        output.WriteLine($"The open page went to the sign-in form {clock.ElapsedMilliseconds} ms after the console disabled its account");
    }
}
