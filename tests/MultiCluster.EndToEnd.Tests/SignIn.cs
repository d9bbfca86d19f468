using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>Signs in the way a person does: the sign-in form, then the forced password change.</summary>
public static class SignIn
{
    public static async Task<IPage> AsAdminAsync(IBrowserContext context, DashboardProcess dashboard, string path = "/")
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(dashboard.BaseUrl, path).ToString());
        await SubmitLoginAsync(page, "admin", DashboardProcess.BootstrapPassword);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/change-password"));
        await page.GetByLabel("Current password").FillAsync(DashboardProcess.BootstrapPassword);
        await page.GetByLabel("New password (at least 12 characters)").FillAsync(DashboardProcess.AdminPassword);
        await page.GetByLabel("New password again").FillAsync(DashboardProcess.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the new password" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        return page;
    }

    public static async Task SubmitLoginAsync(IPage page, string userName, string password)
    {
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
