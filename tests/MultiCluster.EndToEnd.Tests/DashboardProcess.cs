using System.Text.RegularExpressions;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Xunit.Abstractions;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>
/// The dashboard as a user runs it: its own process, built output of src/MultiCluster.Web, a fresh
/// data directory (so a fresh SQLite registry) and a free loopback port.
/// </summary>
public sealed partial class DashboardProcess : IAsyncDisposable
{
    /// <summary>The bootstrap admin's first password in tests (MC_BOOTSTRAP_PASSWORD); it must be changed at first sign-in.</summary>
    public const string BootstrapPassword = "first-time-password-for-tests";

    /// <summary>What <see cref="SignIn.AsAdminAsync"/> changes the bootstrap password to.</summary>
    public const string AdminPassword = "correct-horse-battery-staple";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    // The same lines with the time each arrived, for the report: a test that waits "within 2 s" can then say which step was late.
    private readonly StringBuilder _timedOutput = new();

    // The settings that name the registry and its key: admin commands get them too, so they work on the same registry.
    private static readonly string[] RegistrySettings = ["Database__", "ConnectionStrings__", "MC_MASTER_KEY"];

    private readonly IReadOnlyDictionary<string, string> _registrySettings;

    private ITestOutputHelper? _report;

    private DashboardProcess(Process process, string dataDirectory, IDictionary<string, string>? settings)
    {
        _process = process;
        DataDirectory = dataDirectory;
        _registrySettings = (settings ?? new Dictionary<string, string>())
            .Where(s => RegistrySettings.Any(prefix => s.Key.StartsWith(prefix, StringComparison.Ordinal)))
            .ToDictionary();
    }

    /// <summary>The process id: with the host name, what its clusters' request logs name it by (its User-Agent).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Ends the process the hard way (SIGKILL): no shutdown, its connections simply drop.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Where the dashboard listens: the port it was given by the system (known once it says "Now listening on").</summary>
    public Uri BaseUrl { get; private set; } = default!;

    public string DataDirectory { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Writes what the dashboard printed (its warnings: a demo vCluster not made, a circuit's error) to the test's output when it is
    /// disposed, so a failed test's result says what happened on the dashboard's side too.
    /// </summary>
    public DashboardProcess ReportingTo(ITestOutputHelper output)
    {
        _report = output;
        return this;
    }

    /// <summary>Starts the app and waits until <c>/readyz</c> says the registry is migrated.</summary>
    public static async Task<DashboardProcess> StartAsync(IDictionary<string, string>? settings = null)
    {
        var dashboard = Launch(settings);
        // One limit for the whole start, not one per request: a loaded machine may answer the first /readyz slowly.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var starting = new CancellationTokenSource(StartTimeout);
        try
        {
            while (true)
            {
                if (dashboard._process.HasExited)
                {
                    throw new InvalidOperationException($"The dashboard exited with code {dashboard._process.ExitCode} before it was ready:\n{dashboard.Output}");
                }
                if (dashboard.BaseUrl is null)
                {
                    // The dashboard binds port 0 itself: a port chosen here and given to it could be taken by another process meanwhile.
                    if (ListeningOn().Match(dashboard.Output) is not { Success: true } listening)
                    {
                        await Task.Delay(100, starting.Token);
                        continue;
                    }
                    dashboard.BaseUrl = new Uri(listening.Groups[1].Value);
                }
                try
                {
                    using var response = await http.GetAsync(new Uri(dashboard.BaseUrl, "/readyz"), starting.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return dashboard;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.Delay(250, starting.Token);
            }
        }
        catch (OperationCanceledException) when (starting.IsCancellationRequested)
        {
            await dashboard.DisposeAsync();
            throw new TimeoutException($"The dashboard was not ready at {dashboard.BaseUrl} within {StartTimeout.TotalSeconds} s:\n{dashboard.Output}");
        }
    }

    /// <summary>
    /// Starts the app with its three demo clusters, on ports the system picks (their kubeconfig is demo.kubeconfig in the data directory);
    /// the demo's two vClusters only when asked for (they are five more clusters' worth of work and count on every page).
    /// </summary>
    public static Task<DashboardProcess> StartWithDemoAsync(bool virtualClusters = false) =>
        StartAsync(new Dictionary<string, string>
        {
            ["Demo__Enabled"] = "true",
            ["Demo__Port"] = "0",
            ["Demo__VirtualClusters"] = virtualClusters ? "true" : "false",
        });

    /// <summary>Starts the app on a PostgreSQL registry (its master key generated in the data directory, as in development).</summary>
    public static Task<DashboardProcess> StartOnPostgresAsync(string connectionString) =>
        StartAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Registry"] = connectionString,
        });

    /// <summary>Starts the app and waits for it to exit by itself (it is expected to refuse to start).</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IDictionary<string, string> settings)
    {
        await using var dashboard = Launch(settings);
        using var timeout = new CancellationTokenSource(StartTimeout);
        await dashboard._process.WaitForExitAsync(timeout.Token);
        return (dashboard._process.ExitCode, dashboard.Output);
    }

    /// <summary>Runs <c>MultiCluster.Web admin …</c> against this dashboard's registry, as an operator would.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAdminAsync(params string[] arguments)
    {
        var start = StartInfo(DataDirectory, ["admin", .. arguments]);
        foreach (var (key, value) in _registrySettings)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static ProcessStartInfo StartInfo(string dataDirectory, IEnumerable<string> arguments)
    {
        var webOutput = WebOutputDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = webOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(webOutput, "MultiCluster.Web.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["MultiCluster__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["MC_BOOTSTRAP_PASSWORD"] = BootstrapPassword;
        // Tests that want the demo clusters turn them on (and give them ports).
        start.Environment["Demo__Enabled"] = "false";
        return start;
    }

    private static DashboardProcess Launch(IDictionary<string, string>? settings)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("multicluster-e2e-").FullName;
        var start = StartInfo(dataDirectory, ["--urls", "http://127.0.0.1:0"]);
        // Its "Now listening on" line says which port it got.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var dashboard = new DashboardProcess(process, dataDirectory, settings);
        process.OutputDataReceived += (_, e) => dashboard.Append(e.Data);
        process.ErrorDataReceived += (_, e) => dashboard.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return dashboard;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_output)
        {
            _report?.WriteLine($"The dashboard's output (UTC when each line arrived):\n{_timedOutput}");
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean from /tmp.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            _timedOutput.Append(DateTime.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').AppendLine(line);
        }
    }

    private static string WebOutputDirectory()
    {
        var configuration = typeof(DashboardProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BuildConfiguration").Value;
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MultiCluster.sln")))
        {
            directory = directory.Parent;
        }
        if (directory is null)
        {
            throw new InvalidOperationException("The repository root (MultiCluster.sln) was not found above the test output.");
        }
        var output = Path.Combine(directory.FullName, "src", "MultiCluster.Web", "bin", configuration!, "net10.0");
        return File.Exists(Path.Combine(output, "MultiCluster.Web.dll"))
            ? output
            : throw new InvalidOperationException($"MultiCluster.Web is not built in {output}; build the solution first.");
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:[0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningOn();
}
