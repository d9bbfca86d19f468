using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MultiCluster.UnitTests.Kubeconfigs;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>One dashboard for the API tests, with an administrator service account's token made by the admin commands.</summary>
public sealed class ApiDashboard : IAsyncLifetime
{
    public DashboardProcess Dashboard { get; private set; } = default!;

    public string AdminToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Dashboard = await DashboardProcess.StartAsync();
        // The bootstrap admin must choose a password before its tokens work; automation gets an account of its own.
        var (created, _, createError) = await Dashboard.RunAdminAsync("create-service-account", "--user", "ci-admin", "--role", "Administrator");
        Assert.True(created == 0, createError);
        var (exitCode, output, error) = await Dashboard.RunAdminAsync("create-token", "--user", "ci-admin", "--name", "ci", "--expires", "1d");
        Assert.True(exitCode == 0, error);
        AdminToken = output.Trim();
        Assert.StartsWith("mcp_", AdminToken, StringComparison.Ordinal);
    }

    public async Task DisposeAsync() => await Dashboard.DisposeAsync();
}

/// <summary>The JSON API as automation uses it: personal access tokens, problem+json errors, nothing half-saved.</summary>
public sealed class ApiTests(ApiDashboard fixture) : IClassFixture<ApiDashboard>
{
    private readonly DashboardProcess _dashboard = fixture.Dashboard;
    private readonly string _adminToken = fixture.AdminToken;

    [Fact]
    public async Task Without_a_valid_token_the_api_answers_401()
    {
        using var anonymous = new HttpClient { BaseAddress = _dashboard.BaseUrl };
        using var forged = Client("mcp_this-token-was-never-issued");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.DeleteAsync("/api/v1/clusters/any")).StatusCode);
    }

    [Fact]
    public async Task A_token_lists_clusters_and_the_audit_log()
    {
        using var api = Client(_adminToken);

        var clusters = await api.GetFromJsonAsync<JsonElement>("/api/v1/clusters");
        var audit = await api.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=token.create&actor=admin-cli");

        Assert.Equal(0, clusters.GetProperty("clusters").GetArrayLength());
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e =>
            e.GetProperty("target").GetString() == "user/ci-admin" && e.GetProperty("detail").GetString()!.StartsWith("token 'ci'", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/clusters/nope")).StatusCode);
    }

    [Fact]
    public async Task Every_bad_kubeconfig_gets_a_400_with_its_message_and_nothing_is_saved()
    {
        using var api = Client(_adminToken);
        var failures = new List<string>();

        foreach (var bad in BadKubeconfigs.All)
        {
            var (name, yaml, expected) = ((string)bad[0], (string)bad[1], (string)bad[2]);
            using var response = await api.PostAsJsonAsync("/api/v1/clusters", new { kubeconfig = yaml });
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest
                || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || !JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!.Contains(expected, StringComparison.Ordinal))
            {
                failures.Add($"{name}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
            }
        }

        Assert.Empty(failures);
        var clusters = await api.GetFromJsonAsync<JsonElement>("/api/v1/clusters");
        Assert.Equal(0, clusters.GetProperty("clusters").GetArrayLength());
    }

    [Fact]
    public async Task Registration_validation_errors_use_the_dialog_s_words()
    {
        using var api = Client(_adminToken);

        var badName = await api.PostAsJsonAsync("/api/v1/clusters", new { name = "Prod EU", server = "https://10.0.0.1:6443", token = "t" });
        var noServer = await api.PostAsJsonAsync("/api/v1/clusters", new { name = "prod", token = "t" });
        var nothing = await api.PostAsJsonAsync("/api/v1/clusters", new { });

        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Contains("'Prod EU' is not a valid cluster name", await badName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("An API server URL such as https://10.0.0.1:6443 is required.", await noServer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Give either a kubeconfig, or a name, an API server URL and a token.", await nothing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_s_token_reads_but_cannot_register_or_remove()
    {
        var (created, _, createError) = await _dashboard.RunAdminAsync("create-service-account", "--user", "victor", "--role", "Viewer");
        Assert.True(created == 0, createError);
        var (exitCode, token, error) = await _dashboard.RunAdminAsync("create-token", "--user", "victor", "--name", "read", "--expires", "1h");
        Assert.True(exitCode == 0, error);
        using var viewer = Client(token.Trim());

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/clusters", new { name = "x", server = "https://a", token = "t" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync("/api/v1/clusters/x")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PatchAsJsonAsync("/api/v1/clusters/x", new { displayName = "y" })).StatusCode);
    }

    [Fact]
    public async Task A_token_of_a_person_who_must_choose_a_password_is_refused_until_they_do()
    {
        var (created, _, createError) = await _dashboard.RunAdminAsync("create-user", "--user", "newcomer", "--role", "Viewer");
        Assert.True(created == 0, createError);
        var (exitCode, token, error) = await _dashboard.RunAdminAsync("create-token", "--user", "newcomer", "--name", "early", "--expires", "1h");
        Assert.True(exitCode == 0, error);
        using var newcomer = Client(token.Trim());
        Assert.Equal(HttpStatusCode.Unauthorized, (await newcomer.GetAsync("/api/v1/clusters")).StatusCode);
    }

    [Fact]
    public async Task The_api_is_described_by_an_openapi_document()
    {
        using var api = Client(_adminToken, followRedirects: false);
        using var signedOut = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _dashboard.BaseUrl };

        // The document is for signed-in people (cookie); a token alone reaches only /api (and gets a status, not the sign-in page).
        Assert.Equal(HttpStatusCode.Redirect, (await signedOut.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/openapi/v1.json")).StatusCode);
    }

    private HttpClient Client(string token, bool followRedirects = true)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = _dashboard.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
