using System.Net;
using System.Net.Sockets;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>What an operator sees when the app cannot start: one sentence naming the setting, no stack trace.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task An_unreachable_postgres_stops_startup_with_a_message_naming_the_setting()
    {
        var port = ClosedPort();

        var (exitCode, output) = await DashboardProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Registry"] = $"Host=127.0.0.1;Port={port};Database=registry;Username=mc;Password=not-to-be-printed;Timeout=3",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains($"MultiCluster cannot start: The registry database (PostgreSQL at 127.0.0.1:{port}, database 'registry', user 'mc') cannot be used: nothing accepts connections at that address (connection refused).", output, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Registry", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-to-be-printed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_provider_stops_startup_with_a_message_naming_the_setting()
    {
        var (exitCode, output) = await DashboardProcess.RunUntilExitAsync(new Dictionary<string, string> { ["Database__Provider"] = "Oracle" });

        Assert.Equal(1, exitCode);
        Assert.Contains("MultiCluster cannot start: Database:Provider is 'Oracle'; use 'Sqlite' (the default) or 'Postgres'.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_team_group_prefix_in_kubernetes_system_groups_stops_startup_with_a_message_naming_the_setting()
    {
        var (exitCode, output) = await DashboardProcess.RunUntilExitAsync(new Dictionary<string, string> { ["Access__GroupPrefix"] = "system:" });

        Assert.Equal(1, exitCode);
        Assert.Contains("Access:GroupPrefix must be printable ASCII without blanks or commas, and must not start with system:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_the_app_refuses_to_start_without_a_master_key()
    {
        var (exitCode, output) = await DashboardProcess.RunUntilExitAsync(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        Assert.Equal(1, exitCode);
        Assert.Contains("MultiCluster cannot start: No master key is configured", output, StringComparison.Ordinal);
        Assert.Contains("MC_MASTER_KEY", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoints_answer_for_probes()
    {
        await using var dashboard = await DashboardProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = dashboard.BaseUrl };

        Assert.Equal("Healthy", await http.GetStringAsync("/healthz"));
        Assert.Equal(
            "Healthy\nleadership: Healthy. Leads the reconcilers: the only replica (SQLite).\nregistry: Healthy. The registry database is reachable and migrated.\n",
            await http.GetStringAsync("/readyz"));
        Assert.True(File.Exists(Path.Combine(dashboard.DataDirectory, "multicluster.db")), "The SQLite registry was not created in the data directory.");
        using var favicon = await http.GetAsync("/favicon.svg");
        Assert.Equal(HttpStatusCode.OK, favicon.StatusCode);
        Assert.Equal("image/svg+xml", favicon.Content.Headers.ContentType?.MediaType);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
