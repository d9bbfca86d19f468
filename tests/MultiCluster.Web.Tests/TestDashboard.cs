using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Tests;

/// <summary>
/// The app in-process on a fresh SQLite registry, without demo clusters, with ways to make users of each role, give them
/// tokens and sign them in through the real sign-in form.
/// </summary>
public sealed partial class TestDashboard : IAsyncDisposable
{
    public const string Password = "a-long-enough-password";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("mc-web-tests-").FullName;

    public TestDashboard(params (string Key, string Value)[] settings)
        : this("Development", settings)
    {
    }

    public TestDashboard(string environment, params (string Key, string Value)[] settings)
    {
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment(environment);
            host.UseSetting("MultiCluster:DataDirectory", _dataDirectory);
            host.UseSetting("MC_BOOTSTRAP_PASSWORD", "bootstrap-password-for-tests");
            host.UseSetting("Demo:Enabled", "false");
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });
        _ = Factory.Server;
    }

    public WebApplicationFactory<Program> Factory { get; }

    public IServiceProvider Services => Factory.Services;

    /// <summary>Registers a simulated cluster under its own name, as an Administrator would.</summary>
    public async Task RegisterAsync(MultiCluster.Simulator.Hosting.SimulatedCluster cluster, IReadOnlyDictionary<string, string>? labels = null)
    {
        var admin = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.Name, "alice"), new(System.Security.Claims.ClaimTypes.Role, DashboardRoles.Administrator)], "test"));
        var outcome = await Services.GetRequiredService<MultiCluster.Web.Clusters.ClusterRegistry>().RegisterAsync(admin,
            [new MultiCluster.Web.Clusters.ClusterRegistration(cluster.Name, null, cluster.BaseUrl,
                new MultiCluster.Core.ClusterCredentials { Token = cluster.Token, CertificateAuthorityPem = cluster.CertificateAuthorityPem }, labels ?? new Dictionary<string, string>())]);
        Assert.True(outcome.Succeeded, outcome.Results[0].Problem);
    }

    /// <summary>
    /// Waits until the engine has written the fleet-wide roles' bindings into <paramref name="cluster"/>: what a person with a
    /// fleet-wide role reads there goes as them (impersonated), and the cluster allows it from then on.
    /// </summary>
    public async Task WaitForFleetRolesAsync(string cluster)
    {
        var store = Services.GetRequiredService<MultiCluster.Kubernetes.Fleet.FleetStateStore>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!MultiCluster.Kubernetes.Fleet.FleetFacts.FleetRolesBound(store, cluster))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Waited 20 s for the fleet-wide roles' bindings in {cluster}.");
            await Task.Delay(50);
        }
    }

    /// <summary>A user with a password (no forced change) and <paramref name="role"/> (none when null).</summary>
    public async Task<DashboardUser> CreateUserAsync(string userName, string? role)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var user = new DashboardUser { UserName = userName };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        if (role is not null)
        {
            await users.AddToRoleAsync(user, role);
        }
        return user;
    }

    public async Task<string> TokenForAsync(DashboardUser user)
    {
        var created = await Services.GetRequiredService<PersonalAccessTokens>().CreateAsync(user, "test", TimeSpan.FromDays(1), user.UserName!);
        return created.Secret;
    }

    public async Task<string> TokenForNewUserAsync(string userName, string? role) => await TokenForAsync(await CreateUserAsync(userName, role));

    /// <summary>A client that sends <paramref name="token"/> as a bearer token.</summary>
    public HttpClient ApiClient(string token)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A connection to the fleet hub (long polling, in-process) that signs in with <paramref name="token"/>; not started.</summary>
    public HubConnection FleetHubConnection(string token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(Factory.Server.BaseAddress, MultiCluster.Web.Hubs.FleetHub.Path), o =>
            {
                o.HttpMessageHandlerFactory = _ => Factory.Server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();

    /// <summary>A browser-like client (cookies kept, no redirects followed), not signed in, from <paramref name="address"/> (127.0.0.1 by default).</summary>
    public HttpClient BrowserClient(string address = "127.0.0.1") =>
        new(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler { InnerHandler = Factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse(address)) })
        {
            BaseAddress = Factory.Server.BaseAddress,
        };

    /// <summary>Posts the sign-in form as a browser does (antiforgery token from the page); the response of the post.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string userName, string password, IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        await PostSignInAsync(browser, await SignInFormTokenAsync(browser), userName, password, headers);

    /// <summary>The antiforgery token of the sign-in page, for posting the form (once or many times).</summary>
    public static async Task<string> SignInFormTokenAsync(HttpClient browser)
    {
        var antiforgery = AntiforgeryField().Match(await browser.GetStringAsync("/account/login"));
        Assert.True(antiforgery.Success, "The sign-in page has no antiforgery token.");
        return WebUtility.HtmlDecode(antiforgery.Groups[1].Value);
    }

    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string antiforgeryToken, string userName, string password, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(
            [
                new("_handler", "login"),
                new("__RequestVerificationToken", antiforgeryToken),
                new("Input.UserName", userName),
                new("Input.Password", password),
            ]),
        };
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.Add(name, value);
        }
        return await browser.SendAsync(request);
    }

    /// <summary>The error the sign-in form shows, or null.</summary>
    public static async Task<string?> SignInErrorAsync(HttpResponseMessage response)
    {
        var match = SignInError().Match(await response.Content.ReadAsStringAsync());
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    /// <summary>A browser signed in as <paramref name="userName"/> through the form.</summary>
    public async Task<HttpClient> SignedInBrowserAsync(string userName)
    {
        var browser = BrowserClient();
        using var response = await PostSignInAsync(browser, userName, Password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in answered {(int)response.StatusCode}: {await SignInErrorAsync(response)}");
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("data-testid=\"sign-in-error\">([^<]*)<")]
    private static partial Regex SignInError();

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
