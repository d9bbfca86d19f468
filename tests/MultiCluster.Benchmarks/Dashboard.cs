using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;

namespace MultiCluster.Benchmarks;

/// <summary>The dashboard as an operator runs it: its own process, Production settings, a fresh SQLite registry.</summary>
internal sealed class Dashboard : IAsyncDisposable
{
    private readonly IDictionary<string, string> _environment;

    private Dashboard(ChildProcess process, Uri baseUrl, string token, IDictionary<string, string> environment)
    {
        _environment = environment;
        Process = process;
        BaseUrl = baseUrl;
        Token = token;
    }

    public ChildProcess Process { get; }

    public Uri BaseUrl { get; }

    public string Token { get; }

    private const string DashboardPrefix = "DASHBOARD_";

    public static async Task<Dashboard> StartAsync(string work)
    {
        var web = ChildProcess.ProjectOutput("MultiCluster.Web");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["MultiCluster__DataDirectory"] = Path.Combine(work, "dashboard"),
            ["MC_MASTER_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["MC_BOOTSTRAP_PASSWORD"] = "benchmark-bootstrap-password",
            ["Demo__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            // The fleet watcher logs the managed heap once the first lists are done.
            ["Logging__LogLevel__MultiCluster.Kubernetes.Fleet.FleetWatcher"] = "Information",
            // What explains a latency tail from inside: collections and pauses, the thread pool's queue, lock contention.
            ["Diagnostics__RuntimeFiguresSeconds"] = "5",
            ["Logging__LogLevel__MultiCluster.Web.Health.RuntimeFigures"] = "Information",
            // The address is the one the system gives and the dashboard says (a port probed free here could be taken meanwhile).
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        // Runtime settings to try on the dashboard alone (not the simulator or this program): DASHBOARD_DOTNET_GCgen0size=...
        // is given to the dashboard as DOTNET_GCgen0size.
        foreach (var (key, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => ((string)e.Key, (string?)e.Value ?? "")).Where(e => e.Item1.StartsWith(DashboardPrefix, StringComparison.Ordinal)))
        {
            environment[key[DashboardPrefix.Length..]] = value;
        }
        var process = ChildProcess.Start(web, ["--urls", "http://127.0.0.1:0"], environment, log: Path.Combine(work, "dashboard.log"));
        const string listening = "Now listening on: ";
        await process.WaitForLineAsync(l => l.Contains(listening, StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        var line = process.Lines.First(l => l.Contains(listening, StringComparison.Ordinal));
        var baseUrl = new Uri(line[(line.IndexOf(listening, StringComparison.Ordinal) + listening.Length)..].Trim());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if ((await http.GetAsync(new Uri(baseUrl, "/readyz"))).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (attempt < 240)
            {
            }
            await Task.Delay(250);
        }
        // The bootstrap admin must choose a password before its tokens work: the benchmark is automation, with an account of its own.
        await using (var account = ChildProcess.Start(web, ["admin", "create-service-account", "--user", "benchmark", "--role", "Administrator"], environment))
        {
            await account.WaitForLineAsync(l => l.Contains("Service account benchmark", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        }
        await using var admin = ChildProcess.Start(web, ["admin", "create-token", "--user", "benchmark", "--name", "benchmark", "--expires", "1d"], environment);
        await admin.WaitForLineAsync(l => l.Contains("mcp_", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        var token = admin.Lines.First(l => l.Contains("mcp_", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries).First(w => w.StartsWith("mcp_", StringComparison.Ordinal));
        return new Dashboard(process, baseUrl, token, environment);
    }

    /// <summary>A person with <paramref name="role"/>; returns the one-time password they change at the first sign-in.</summary>
    public async Task<string> CreateUserAsync(string user, string role)
    {
        await using var command = ChildProcess.Start(ChildProcess.ProjectOutput("MultiCluster.Web"), ["admin", "create-user", "--user", user, "--role", role], _environment);
        await command.WaitForLineAsync(l => l.Contains("One-time password", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        return command.Lines.First(l => l.Contains("One-time password", StringComparison.Ordinal)).Split(' ')[^1];
    }

    public async Task RegisterAsync(string kubeconfig, IReadOnlyList<string> contexts)
    {
        using var http = ApiClient(TimeSpan.FromMinutes(10));
        using var response = await http.PostAsJsonAsync("/api/v1/clusters", new { kubeconfig, contexts = contexts.Select(c => new { context = c }) });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"registration failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// The sum and count of the histogram <paramref name="name"/> on <c>/metrics</c>, of its series whose labels hold
    /// <paramref name="labels"/> (<c>label="value"</c>); zero when it has no sample yet.
    /// </summary>
    public async Task<(double Sum, long Count)> HistogramAsync(string name, string labels)
    {
        using var http = ApiClient(TimeSpan.FromMinutes(1));
        var text = await http.GetStringAsync("/metrics");
        double Value(string suffix) => text.Split('\n')
            .Where(l => l.StartsWith($"{name}_{suffix}{{", StringComparison.Ordinal) && l.Contains(labels, StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return (Value("sum"), (long)Value("count"));
    }

    /// <summary>A client of the dashboard's API with the benchmark's token.</summary>
    private HttpClient ApiClient(TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = BaseUrl, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
