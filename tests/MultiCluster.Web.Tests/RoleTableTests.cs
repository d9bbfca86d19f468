using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data;
using MultiCluster.Web.Hubs;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Tests;

/// <summary>
/// Every endpoint, page and hub method names one action of <see cref="DashboardActions"/>, and every endpoint a token
/// can call answers each role as that table says: enumerated from the app, so a new endpoint without a rule fails here.
/// </summary>
public sealed class RoleTableTests : IAsyncLifetime
{
    /// <summary>Signed-in plumbing with no action of its own: the circuit, the hub's transport (its methods carry actions), the API description.</summary>
    private static readonly HashSet<string> PlumbingForAnySignedInUser = new(StringComparer.Ordinal)
    {
        "/_blazor", "/_blazor/negotiate", "/_blazor/initializers", "/_blazor/disconnect", "/_framework/opaque-redirect", "/{**path:file}",
        "/hubs/fleet", "/hubs/fleet/negotiate", "/openapi/{documentName}.json",
    };

    private static readonly string?[] Roles = [DashboardRoles.Administrator, DashboardRoles.Operator, DashboardRoles.Viewer, null];

    private readonly TestDashboard _dashboard = new();
    private readonly Dictionary<string, string> _tokens = [];

    public async Task InitializeAsync()
    {
        foreach (var role in Roles)
        {
            _tokens[role ?? "none"] = await _dashboard.TokenForNewUserAsync($"user-{(role ?? "none").ToLowerInvariant()}", role);
        }
    }

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public void Every_page_and_endpoint_names_exactly_one_action_or_is_open_or_plumbing()
    {
        var problems = new List<string>();
        foreach (var endpoint in Endpoints())
        {
            var pattern = EndpointTable.Pattern(endpoint);
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || EndpointTable.IsStaticFile(pattern))
            {
                continue;
            }
            var actions = ActionsOf(endpoint);
            if (actions.Count == 0 && !PlumbingForAnySignedInUser.Contains(pattern))
            {
                problems.Add($"{pattern} names no action of DashboardActions");
            }
            if (actions.Count > 1)
            {
                problems.Add($"{pattern} names {actions.Count} actions: {string.Join(", ", actions)}");
            }
        }
        // What clients can call: SignalR leaves out overrides of Hub's own methods (OnConnectedAsync), as does this.
        var hubMethods = typeof(FleetHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.GetBaseDefinition().DeclaringType == typeof(FleetHub)).ToList();
        Assert.NotEmpty(hubMethods);
        foreach (var method in hubMethods)
        {
            var actions = method.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy).Where(p => p is not null && DashboardActions.Roles.ContainsKey(p)).ToList();
            if (actions.Count != 1)
            {
                problems.Add($"hub method {method.Name} names {actions.Count} actions");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_endpoint_a_token_can_call_answers_each_role_as_the_table_says()
    {
        var problems = new List<string>();
        var checkedCalls = 0;
        foreach (var endpoint in Endpoints().Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null && e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var pattern = EndpointTable.Pattern(endpoint);
            if (ActionsOf(endpoint) is not [var action] || !TakesTokens(endpoint))
            {
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods.Where(m => m != "OPTIONS"))
            {
                foreach (var role in Roles)
                {
                    using var client = _dashboard.ApiClient(_tokens[role ?? "none"]);
                    using var request = new HttpRequestMessage(new HttpMethod(method), EndpointTable.Concrete(pattern));
                    if (method is "POST" or "PUT" or "PATCH")
                    {
                        request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                    }
                    using var response = await client.SendAsync(request);
                    checkedCalls++;
                    var allowed = DashboardActions.Roles[action] is var roles && (roles.Count == 0 || (role is not null && roles.Contains(role)));
                    var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized;
                    if (allowed == refused)
                    {
                        problems.Add($"{method} {pattern} ({action}) answered {(int)response.StatusCode} to {role ?? "a user without a role"}");
                    }
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(checkedCalls >= 40, $"only {checkedCalls} calls were made; the enumeration is broken");
    }

    [Fact]
    public async Task A_viewer_cannot_snooze_a_problem_or_test_a_connection_and_nothing_is_written()
    {
        using var viewer = _dashboard.ApiClient(_tokens[DashboardRoles.Viewer]);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsync("/api/v1/problems/any/acknowledgement", Json("""{"snoozeMinutes":10080}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/clusters/any/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/v1/audit")).StatusCode);
        var audit = await _dashboard.Services.GetRequiredService<AuditLog>().SearchAsync(new AuditQuery { Actor = "user-viewer" });
        Assert.Equal(["token.create"], audit.Entries.Select(e => e.Action));
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private IEnumerable<RouteEndpoint> Endpoints() => EndpointTable.Of(_dashboard.Services);

    private static List<string> ActionsOf(Endpoint endpoint) =>
        [.. endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Where(DashboardActions.Roles.ContainsKey).Distinct()];

    /// <summary>Endpoints whose policies take personal access tokens (the API, log downloads).</summary>
    private static bool TakesTokens(Endpoint endpoint) =>
        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is DashboardPolicies.Api or DashboardPolicies.CookieOrToken);
}
