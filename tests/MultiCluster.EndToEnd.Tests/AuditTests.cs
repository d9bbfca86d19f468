using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

public sealed class AuditTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Signing_in_and_changing_the_password_are_in_the_audit_log()
    {
        await using var dashboard = await DashboardProcess.StartAsync();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await SignIn.AsAdminAsync(context, dashboard);

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true }).ClickAsync();

        var rows = page.GetByTestId("audit-table").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("user.change-password");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("user.sign-in");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("user.bootstrap");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("system");
    }
}
