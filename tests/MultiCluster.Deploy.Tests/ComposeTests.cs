using Microsoft.Extensions.Configuration;
using MultiCluster.Data;
using MultiCluster.Data.Secrets;
using MultiCluster.Web.Hosting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MultiCluster.Deploy.Tests;

/// <summary>
/// docker-compose.yml and the nginx configuration it mounts, read as compose and nginx would (no container engine
/// here): two replicas on one PostgreSQL with one master key, behind nginx with sticky sessions and WebSockets.
/// </summary>
public sealed class ComposeTests
{
    private static readonly string[] Replicas = ["dashboard-a", "dashboard-b"];

    private static readonly Dictionary<string, object?> Compose = LoadCompose();

    private static readonly IReadOnlyList<NginxDirective> Nginx =
        NginxDirective.Parse(File.ReadAllText(Repository.PathOf("deploy", "nginx", "multicluster.conf")));

    /// <summary>The compose file with its anchors and <c>&lt;&lt;</c> merge keys resolved, as compose resolves them.</summary>
    private static Dictionary<string, object?> LoadCompose()
    {
        using var reader = new StreamReader(Repository.PathOf("docker-compose.yml"));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return (Dictionary<string, object?>)ChartValues.FromNode(stream.Documents[0].RootNode)!;
    }

    private static Dictionary<string, object?> Map(object? value, string what) =>
        value as Dictionary<string, object?> ?? throw new InvalidOperationException($"{what} is not a map in docker-compose.yml.");

    private static Dictionary<string, object?> Service(string name) =>
        Map(Map(Compose["services"], "services").GetValueOrDefault(name), $"services.{name}");

    private static Dictionary<string, object?> Environment(string service) => Map(Service(service)["environment"], $"{service}.environment");

    private static string Address(string service) =>
        (string)Map(Map(Service(service)["networks"], $"{service}.networks")["default"], $"{service}.networks.default")["ipv4_address"]!;

    [Fact]
    public void Both_replicas_run_the_image_on_one_postgresql_with_one_master_key()
    {
        var a = Environment(Replicas[0]);
        var b = Environment(Replicas[1]);

        Assert.Equal(a, b);
        Assert.Equal(".", Service(Replicas[0])["build"]);
        Assert.Equal(".", Service(Replicas[1])["build"]);
        // Setting names as the app reads them (environment variables, ":" written "__").
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(a.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value?.ToString())))
            .Build();
        Assert.Equal(DatabaseProvider.Postgres, settings.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()!.ParsedProvider);
        Assert.StartsWith("Host=postgres;", settings[DatabaseOptions.ConnectionStringKey], StringComparison.Ordinal);
        Assert.StartsWith("${MC_MASTER_KEY:?", settings[MasterKeyOptions.MasterKeyVariable], StringComparison.Ordinal);
        Assert.Contains("Password=${POSTGRES_PASSWORD:?", settings[DatabaseOptions.ConnectionStringKey], StringComparison.Ordinal);
        Assert.Contains("${POSTGRES_PASSWORD:?", (string)Environment("postgres")["POSTGRES_PASSWORD"]!, StringComparison.Ordinal);
        foreach (var replica in Replicas)
        {
            Assert.Equal("service_healthy", Map(Map(Service(replica)["depends_on"], "depends_on")["postgres"], "depends_on.postgres")["condition"]);
        }
        // Each replica its own data directory volume (nothing of the registry lives there with PostgreSQL).
        Assert.NotEqual(Service(Replicas[0])["volumes"], Service(Replicas[1])["volumes"]);
    }

    [Fact]
    public void Every_service_has_a_healthcheck_and_the_replicas_ask_readyz()
    {
        foreach (var name in Map(Compose["services"], "services").Keys.Where(s => s != "proxy"))
        {
            var test = Assert.IsType<List<object?>>(Map(Service(name).GetValueOrDefault("healthcheck"), $"{name}.healthcheck")["test"]);
            Assert.True(test.Count >= 2, $"{name}'s healthcheck runs nothing");
        }
        foreach (var replica in Replicas)
        {
            var test = (List<object?>)Map(Service(replica)["healthcheck"], "healthcheck")["test"]!;
            Assert.Contains("GET /readyz HTTP/1.0", (string)test[^1]!, StringComparison.Ordinal);
            Assert.Contains("/dev/tcp/127.0.0.1/8080", (string)test[^1]!, StringComparison.Ordinal);
        }
        // The replicas listen where the health check and nginx knock: the image's Urls.
        Assert.Contains("Urls=http://+:8080", File.ReadAllText(Repository.PathOf("Dockerfile")), StringComparison.Ordinal);
        var balancerDependsOn = Map(Service("balancer")["depends_on"], "balancer.depends_on");
        Assert.All(Replicas, r => Assert.Equal("service_healthy", Map(balancerDependsOn[r], r)["condition"]));
    }

    [Fact]
    public void Nginx_balances_both_replicas_and_keeps_a_browser_on_one()
    {
        Assert.Contains("./deploy/nginx/multicluster.conf:/etc/nginx/conf.d/default.conf:ro", (List<object?>)Service("balancer")["volumes"]!);
        var upstream = Assert.Single(Nginx, d => d.Name == "upstream");
        Assert.Equal(Replicas.Select(r => $"{r}:8080"), upstream.All("server").Select(s => s.Arguments[0]));

        // Sticky: a consistent hash of a route that a cookie carries (set by nginx when the browser has none).
        var hash = Assert.Single(upstream.All("hash"));
        Assert.Equal("consistent", hash.Arguments[^1]);
        var route = Assert.Single(Nginx, d => d.Name == "map" && d.Arguments[1] == hash.Arguments[0]);
        Assert.StartsWith("$cookie_", route.Arguments[0], StringComparison.Ordinal);
        var cookie = route.Arguments[0]["$cookie_".Length..];
        Assert.Equal(route.Arguments[0], route.All("default").Single().Arguments[0]);
        Assert.Equal("$request_id", Assert.Single(route.Block, d => d.Name == "").Arguments[0]);

        var location = Location();
        var setCookie = Assert.Single(location.All("add_header"), h => h.Arguments[0] == "Set-Cookie");
        var cookieValue = Assert.Single(Nginx, d => d.Name == "map" && d.Arguments[1] == setCookie.Arguments[1]);
        Assert.Equal(route.Arguments[0], cookieValue.Arguments[0]);
        Assert.StartsWith($"{cookie}=$request_id;", Assert.Single(cookieValue.Block, d => d.Name == "").Arguments[0], StringComparison.Ordinal);
        Assert.Equal("", cookieValue.All("default").Single().Arguments[0]);
        Assert.Equal("http://" + upstream.Arguments[0], Assert.Single(location.All("proxy_pass")).Arguments[0]);
    }

    [Fact]
    public void Nginx_passes_websocket_upgrades_and_keeps_them_open()
    {
        var location = Location();
        var headers = location.All("proxy_set_header").ToDictionary(h => h.Arguments[0], h => h.Arguments[1]);

        Assert.Equal("1.1", Assert.Single(location.All("proxy_http_version")).Arguments[0]);
        Assert.Equal("$http_upgrade", headers["Upgrade"]);
        var connection = Assert.Single(Nginx, d => d.Name == "map" && d.Arguments[1] == headers["Connection"]);
        Assert.Equal("$http_upgrade", connection.Arguments[0]);
        Assert.Equal("upgrade", connection.All("default").Single().Arguments[0]);
        Assert.Equal("close", Assert.Single(connection.Block, d => d.Name == "").Arguments[0]);
        Assert.Equal("1h", Assert.Single(location.All("proxy_read_timeout")).Arguments[0]);
        Assert.Equal("off", Assert.Single(location.All("proxy_buffering")).Arguments[0]);
        // The hubs' origin check compares with the Host the browser used, port included.
        Assert.Equal("$http_host", headers["Host"]);
    }

    [Fact]
    public void The_replicas_believe_only_nginx_and_nginx_only_caddy()
    {
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(Environment(Replicas[0]).Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value?.ToString())))
            .Build();
        var proxy = ProxySettings.From(settings);

        Assert.True(proxy.Enabled);
        Assert.Equal([Address("balancer")], proxy.KnownProxies);
        Assert.Equal(Address("proxy"), Assert.Single(Nginx, d => d.Name == "set_real_ip_from").Arguments[0]);
        Assert.Equal("X-Forwarded-For", Assert.Single(Nginx, d => d.Name == "real_ip_header").Arguments[0]);
        var proto = Assert.Single(Nginx, d => d.Name == "map" && d.Arguments[0] == "$realip_remote_addr");
        Assert.Equal("$http_x_forwarded_proto", Assert.Single(proto.All(Address("proxy"))).Arguments[0]);
        Assert.Equal("$scheme", proto.All("default").Single().Arguments[0]);
        Assert.Equal(proto.Arguments[1], Location().All("proxy_set_header").Single(h => h.Arguments[0] == "X-Forwarded-Proto").Arguments[1]);
        Assert.Equal("caddy reverse-proxy --from localhost:5443 --to balancer:8080", Service("proxy")["command"]);
    }

    private static NginxDirective Location() =>
        Assert.Single(Assert.Single(Nginx, d => d.Name == "server").All("location"), l => l.Arguments[0] == "/");
}
