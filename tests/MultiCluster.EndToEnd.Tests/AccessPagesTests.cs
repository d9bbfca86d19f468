using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>
/// Access end to end, as the issue tells it: an Administrator makes team payments with a team admin; the team admin signs
/// in, adds a member and a view grant on env=prod; the member signs in and sees only those clusters, reads logs in the
/// granted namespace and is told in words why not elsewhere (the cluster's RBAC decides, through impersonation).
/// </summary>
public sealed partial class AccessPagesTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_team_admin_gives_a_member_view_on_prod_and_the_member_sees_only_prod_and_reads_logs_only_where_granted()
    {
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Demo__Enabled"] = "true",
            ["Demo__Port"] = "0",
            ["Demo__People"] = "false",
        });
        var tina = await CreatePersonAsync(dashboard, "tina");
        var max = await CreatePersonAsync(dashboard, "max");

        // The Administrator: team payments, tina its admin, Operator on its clusters, view and edit in team-* of env=prod.
        await using (var adminContext = await chromium.Browser.NewContextAsync())
        {
            var admin = await SignIn.AsAdminAsync(adminContext, dashboard, "/access");
            await admin.GetByTestId("access-create-team").ClickAsync();
            var editor = admin.GetByRole(AriaRole.Dialog);
            await editor.GetByLabel("Name", new() { Exact = true }).FillAsync("payments");
            await editor.GetByText("Operator on its clusters").ClickAsync();
            await editor.GetByLabel("User name").First.FillAsync("tina");
            await editor.GetByTestId("team-member-admin").First.CheckAsync();
            await editor.GetByLabel("Namespaces").FillAsync("team-*");
            await editor.GetByLabel("Cluster labels").FillAsync("env=prod");
            await editor.GetByTestId("team-ceiling-roles").ClickAsync();
            await admin.GetByRole(AriaRole.Option, new() { Name = "view", Exact = true }).ClickAsync();
            await admin.GetByRole(AriaRole.Option, new() { Name = "edit", Exact = true }).ClickAsync();
            await admin.Keyboard.PressAsync("Escape");
            // The editor says the ceiling in words before it is saved, as the Administrator reads it.
            await Assertions.Expect(editor.GetByTestId("team-editor-ceiling")).ToContainTextAsync("view, edit in namespaces team-* of clusters with labels env=prod");
            await Assertions.Expect(editor.GetByTestId("team-editor-save")).ToBeEnabledAsync();
            await editor.GetByTestId("team-editor-save").ClickAsync();
            await Assertions.Expect(admin.GetByTestId("access-team-name")).ToHaveTextAsync("payments");
        }

        // The team admin, with no dashboard role of their own: a member, and a view grant on env=prod's team-a.
        await using (var tinaContext = await chromium.Browser.NewContextAsync())
        {
            var page = await SignInFirstTimeAsync(tinaContext, dashboard, "tina", tina, "/access");
            await page.GetByTestId("access-team-edit").ClickAsync();
            var editor = page.GetByRole(AriaRole.Dialog);
            await editor.GetByTestId("team-member-add").ClickAsync();
            await Assertions.Expect(editor.GetByTestId("team-member-name")).ToHaveCountAsync(2);
            await editor.GetByTestId("team-member-name").Nth(1).FillAsync("max");
            await editor.GetByTestId("team-editor-save").ClickAsync();
            await Assertions.Expect(page.GetByTestId("access-team-member")).ToHaveTextAsync(["tina (admin)", "max"]);

            await page.GetByRole(AriaRole.Tab, new() { Name = "Grants (0)" }).ClickAsync();
            await page.GetByTestId("access-create-grant").ClickAsync();
            var grant = page.GetByRole(AriaRole.Dialog);
            await grant.GetByTestId("grant-name").FillAsync("payments-view");
            await grant.GetByTestId("grant-role").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "view", Exact = true }).ClickAsync();
            await grant.GetByTestId("grant-namespaces").FillAsync("team-a");
            await grant.GetByTestId("grant-cluster-selector").FillAsync("env=prod");
            try
            {
                await Assertions.Expect(grant.GetByTestId("grant-editor-save")).ToBeEnabledAsync();
            }
            catch (PlaywrightException ex)
            {
                throw new InvalidOperationException($"The grant could not be saved; the editor says: {await grant.InnerTextAsync()}", ex);
            }
            await grant.GetByTestId("grant-editor-save").ClickAsync();
            await Assertions.Expect(page.GetByTestId("access-grant-name")).ToHaveTextAsync("payments-view");
        }

        // The member: the two prod clusters and not dev; logs in team-a, the sentence in team-b.
        var kubeconfig = Path.Combine(dashboard.DataDirectory, "demo.kubeconfig");
        var allowed = await FirstPodAsync(kubeconfig, "team-a");
        var refused = await FirstPodAsync(kubeconfig, "team-b");
        await using var maxContext = await chromium.Browser.NewContextAsync();
        var member = await SignInFirstTimeAsync(maxContext, dashboard, "max", max, "/");
        await Assertions.Expect(member.GetByRole(AriaRole.Link, new() { Name = "prod-us-east", Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(member.GetByRole(AriaRole.Link, new() { Name = "prod-eu-west", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(member.GetByRole(AriaRole.Link, new() { Name = "dev", Exact = true })).ToHaveCountAsync(0);

        await member.GotoAsync(new Uri(dashboard.BaseUrl, $"/clusters/prod-us-east/pods/team-a/{allowed}").ToString());
        await Assertions.Expect(member.GetByTestId("log-view")).ToHaveTextAsync(NotBlank(), new() { Timeout = 30_000 });
        await Assertions.Expect(member.GetByTestId("log-problem")).ToHaveCountAsync(0);

        await member.GotoAsync(new Uri(dashboard.BaseUrl, $"/clusters/prod-us-east/pods/team-b/{refused}").ToString());
        await Assertions.Expect(member.GetByTestId("log-problem")).ToContainTextAsync(
            "Your access to prod-us-east (team payments: view in team-a) does not allow reading logs in team-b.", new() { Timeout = 30_000 });

        await member.GotoAsync(new Uri(dashboard.BaseUrl, "/clusters/dev").ToString());
        await Assertions.Expect(member.GetByTestId("cluster-missing")).ToBeVisibleAsync();
    }

    /// <summary>A person without a fleet-wide role, made with the admin command; returns the one-time password it printed.</summary>
    private static async Task<string> CreatePersonAsync(DashboardProcess dashboard, string user)
    {
        var (exitCode, output, error) = await dashboard.RunAdminAsync("create-user", "--user", user, "--role", "none");
        Assert.True(exitCode == 0, error);
        return OneTimePassword().Match(output).Groups[1].Value;
    }

    private static async Task<IPage> SignInFirstTimeAsync(IBrowserContext context, DashboardProcess dashboard, string user, string oneTimePassword, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(dashboard.BaseUrl, path).ToString());
        await SignIn.SubmitLoginAsync(page, user, oneTimePassword);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/change-password"));
        await page.GetByLabel("Current password").FillAsync(oneTimePassword);
        await page.GetByLabel("New password (at least 12 characters)").FillAsync(DashboardProcess.AdminPassword);
        await page.GetByLabel("New password again").FillAsync(DashboardProcess.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the new password" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        if (!page.Url.EndsWith(path, StringComparison.Ordinal))
        {
            await page.GotoAsync(new Uri(dashboard.BaseUrl, path).ToString());
            await Assertions.Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        }
        return page;
    }

    private static async Task<string> FirstPodAsync(string kubeconfig, string ns)
    {
        var (exitCode, output) = await Kubectl.RunAsync(kubeconfig, ["--context", "prod-us-east", "get", "pods", "-n", ns, "-o", "jsonpath={.items[0].metadata.name}"]);
        Assert.True(exitCode == 0 && output.Trim().Length > 0, output);
        return output.Trim();
    }

    [GeneratedRegex(@"\S")]
    private static partial Regex NotBlank();

    [GeneratedRegex(@"One-time password for \S+ \([^)]*\): (\S+)")]
    private static partial Regex OneTimePassword();
}
