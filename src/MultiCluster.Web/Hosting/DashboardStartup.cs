using System.Runtime;
using Microsoft.Extensions.Options;
using MultiCluster.Data;
using MultiCluster.Data.Replicas;
using MultiCluster.Data.Secrets;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Hosting;

public static partial class DashboardStartup
{
    /// <summary>
    /// Migrates the registry, then serves until shut down. A setting that stops start-up is reported
    /// in one plain sentence that names it, with exit code 1, instead of a stack trace.
    /// </summary>
    public static async Task<int> RunDashboardAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MultiCluster.Startup");
        try
        {
            // Settings first (ValidateOnStart ones): a bad one stops the app with its sentence before anything is touched,
            // instead of the host's stack trace.
            app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
            // Credentials are only ever stored encrypted: no usable master key, no start.
            _ = app.Services.GetRequiredService<MasterKeyRing>();
            // On SQLite, one serving process at a time: a second replica stops here, with the setting that selects PostgreSQL.
            using var sole = SqliteReplicaLock.Take(app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value);
            await app.Services.MigrateRegistryAsync(app.Lifetime.ApplicationStopping);
            await BootstrapAdmin.EnsureAsync(app.Services, Console.Out, app.Lifetime.ApplicationStopping);
            // Full collections in the background only, unless memory runs short. The fleet's pod summaries live in the
            // oldest generation and churn replaces them; left to itself the collector now and then compacts them in a
            // blocking collection, 0.8 s at 450,000 pods (docs/benchmarks.md), and every live page waits meanwhile.
            GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (StartupProblem(ex) is { } problem)
        {
            LogCannotStart(logger, problem);
            await Console.Error.WriteLineAsync($"MultiCluster cannot start: {problem}");
            return 1;
        }
    }

    private static string? StartupProblem(Exception ex) => ex switch
    {
        RegistryUnavailableException registry => registry.Message,
        SecretConfigurationException secrets => secrets.Message,
        BootstrapAdminException bootstrap => bootstrap.Message,
        OptionsValidationException options => string.Join(" ", options.Failures),
        IOException io when io.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException =>
            $"{io.Message.TrimEnd('.')}: another program already listens there. Choose another address with --urls or the Urls setting.",
        _ => null,
    };

    [LoggerMessage(EventId = 1000, Level = LogLevel.Critical, Message = "MultiCluster cannot start: {Problem}")]
    private static partial void LogCannotStart(ILogger logger, string problem);
}
