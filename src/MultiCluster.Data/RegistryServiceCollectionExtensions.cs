using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MultiCluster.Data.Secrets;

namespace MultiCluster.Data;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>The registry database: options from configuration, validated at start-up, and a context factory.</summary>
    public static IServiceCollection AddRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Configure(o =>
            {
                o.ConnectionString = configuration.GetConnectionString("Registry");
                o.DataDirectory = configuration[DatabaseOptions.DataDirectoryKey] is { Length: > 0 } dir ? dir : o.DataDirectory;
            })
            // A relative data directory is relative to the app's content root, not to wherever it was started from.
            .PostConfigure<IHostEnvironment>((o, env) =>
                o.DataDirectory = string.IsNullOrWhiteSpace(o.DataDirectory) ? o.DataDirectory : Path.GetFullPath(o.DataDirectory, env.ContentRootPath))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TimestampInterceptor>();
        services.AddSingleton<Replicas.RegistryChangeInterceptor>();
        services.AddSingleton<RegistryAvailability>();
        services.AddSingleton<RegistryAvailabilityInterceptor>();
        services.AddCredentialEncryption(configuration);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<PersonalAccessTokens>();
        services.AddSingleton<QuotaPolicyStore>();
        services.AddSingleton<VirtualClusterIsolationStore>();
        services.AddSingleton<AccessStore>();
        services.AddDbContextFactory<RegistryDbContext>((sp, builder) =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            builder.Use(options.ParsedProvider, options.EffectiveConnectionString)
                .AddInterceptors(sp.GetRequiredService<TimestampInterceptor>(), sp.GetRequiredService<Replicas.RegistryChangeInterceptor>(), sp.GetRequiredService<RegistryAvailabilityInterceptor>());
        });
        return services;
    }

    /// <summary>The master key ring (MC_MASTER_KEY, a key file, or a generated key in Development) and what uses it.</summary>
    private static IServiceCollection AddCredentialEncryption(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MasterKeyOptions>()
            .Bind(configuration.GetSection(MasterKeyOptions.Section))
            .PostConfigure<IHostEnvironment>((o, env) => o.GenerateInDataDirectory |= env.IsDevelopment());
        services.AddSingleton(sp => MasterKeyLoader.Load(
            sp.GetRequiredService<IOptions<MasterKeyOptions>>().Value,
            configuration,
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.DataDirectory,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MasterKeyLoader))));
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<CredentialVault>();

        // Cookie and antiforgery keys live in the registry, so every replica shares them and a restart keeps
        // everyone signed in; they are encrypted under the master key like cluster credentials.
        services.AddDataProtection()
            .SetApplicationName("MultiCluster")
            .PersistKeysToDbContext<RegistryDbContext>();
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, sp) => o.XmlEncryptor = new MasterKeyXmlEncryptor(sp));
        return services;
    }
}
