using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>
/// A person who signs in through the identity provider, in none of the groups that give a fleet-wide role
/// (<c>Authentication:Oidc:ViewerGroups</c> set), sees the clusters of the team their provider group belongs to, and no other.
/// </summary>
public sealed class SingleSignOnTeamTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_provider_group_in_a_team_shows_its_members_the_teams_clusters_only()
    {
        await using var provider = await TestOidcProvider.StartAsync();
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Demo__Enabled"] = "true",
            ["Demo__Port"] = "0",
            ["Demo__People"] = "false",
            ["Authentication__Oidc__Authority"] = provider.Authority.ToString(),
            ["Authentication__Oidc__ClientId"] = TestOidcProvider.ClientId,
            ["Authentication__Oidc__ClientSecret"] = TestOidcProvider.ClientSecret,
            ["Authentication__Oidc__AdministratorGroups"] = "platform-admins",
            ["Authentication__Oidc__ViewerGroups"] = "platform-viewers",
            ["Authentication__Oidc__RequireHttpsMetadata"] = "false",
        });
        using var api = await AdministratorApiAsync(dashboard);
        using var team = await api.PutAsJsonAsync("/api/v1/teams/payments", new
        {
            name = "payments", dashboardRole = "Viewer", members = new[] { new { kind = "Group", name = "payments-devs" } },
            ceiling = new { clusterSelector = "team=payments", namespacePatterns = new[] { "team-*" }, roles = new[] { "view" } },
        });
        Assert.True(team.IsSuccessStatusCode, await team.Content.ReadAsStringAsync());
        using var grant = await api.PutAsJsonAsync("/api/v1/grants/payments-view",
            new { name = "payments-view", team = "payments", role = "view", clusterSelector = "team=payments", namespacePatterns = new[] { "team-*" } });
        Assert.True(grant.IsSuccessStatusCode, await grant.Content.ReadAsStringAsync());

        provider.Person = ("sub-pia", "pia", ["payments-devs"]);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(dashboard.BaseUrl.ToString());
        await page.GetByTestId("sso").ClickAsync();

        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("pia");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "prod-us-east", Exact = true })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("overview-cluster")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "prod-eu-west", Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Audit" })).ToHaveCountAsync(0);
    }

    /// <summary>An API client with the token of a service account that is an Administrator, made with the admin commands.</summary>
    private static async Task<HttpClient> AdministratorApiAsync(DashboardProcess dashboard)
    {
        var (created, _, createError) = await dashboard.RunAdminAsync("create-service-account", "--user", "ci", "--role", "Administrator");
        Assert.True(created == 0, createError);
        var (exitCode, output, error) = await dashboard.RunAdminAsync("create-token", "--user", "ci", "--name", "e2e", "--expires", "1d");
        Assert.True(exitCode == 0, error);
        var client = new HttpClient { BaseAddress = dashboard.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", output.Trim().Split('\n')[^1].Trim());
        return client;
    }
}
