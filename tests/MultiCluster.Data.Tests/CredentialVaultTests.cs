using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Core;
using MultiCluster.Data.Entities;
using MultiCluster.Data.Secrets;
using Npgsql;

namespace MultiCluster.Data.Tests;

public sealed class CredentialVaultTests
{
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.secret-service-account-token.signature";
    private const string ClientKey = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7-not-a-real-key\n-----END PRIVATE KEY-----\n";

    private static readonly string KeyA = Convert.ToBase64String(MasterKeyRing.NewKey());
    private static readonly string KeyB = Convert.ToBase64String(MasterKeyRing.NewKey());

    [Fact]
    public async Task Credentials_are_stored_encrypted_and_the_secret_never_reaches_the_database()
    {
        await using var database = await EmptyDatabase.CreateAsync(DatabaseProvider.Postgres);
        using var host = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, KeyA)]);
        await host.MigrateAsync();

        var clusterId = await RegisterAsync(host, "prod");

        var dump = await DumpAsync(database.ConnectionString, "cluster_credentials");
        Assert.DoesNotContain("secret-service-account-token", dump, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Token)), dump, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-key", dump, StringComparison.Ordinal);
        Assert.Contains($"v1:{MasterKeyRing.KeyId(Convert.FromBase64String(KeyA))}:", dump, StringComparison.Ordinal);
        Assert.Equal(Token, (await OpenAsync(host, clusterId)).Token);
    }

    [Fact]
    public async Task Credentials_decrypt_after_a_restart_with_the_same_key_and_not_with_another()
    {
        await using var database = await EmptyDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Guid clusterId;
        using (var first = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, KeyA)]))
        {
            await first.MigrateAsync();
            clusterId = await RegisterAsync(first, "prod");
        }

        using (var restarted = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, KeyA)]))
        {
            var credentials = await OpenAsync(restarted, clusterId);
            Assert.Equal(Token, credentials.Token);
            Assert.Equal(ClientKey, credentials.ClientKeyPem);
        }

        using var wrongKey = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, KeyB)]);
        var ex = await Assert.ThrowsAsync<SecretUnreadableException>(() => OpenAsync(wrongKey, clusterId));
        Assert.Contains("which is not configured; add it to MC_PREVIOUS_MASTER_KEYS", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotating_the_key_re_encrypts_every_record_under_the_new_key()
    {
        await using var database = await EmptyDatabase.CreateAsync(DatabaseProvider.Postgres);
        Guid prod, dev;
        using (var before = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, KeyA)]))
        {
            await before.MigrateAsync();
            prod = await RegisterAsync(before, "prod");
            dev = await RegisterAsync(before, "dev");
        }

        using (var rotating = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, KeyB), new(MasterKeyOptions.PreviousKeysVariable, KeyA)]))
        {
            await using var db = rotating.CreateContext();
            Assert.Equal(2, await rotating.Services.GetRequiredService<CredentialVault>().ReencryptAsync(db));
            await using var again = rotating.CreateContext();
            Assert.Equal(0, await rotating.Services.GetRequiredService<CredentialVault>().ReencryptAsync(again));
        }

        using var after = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, KeyB)]);
        Assert.Equal(Token, (await OpenAsync(after, prod)).Token);
        Assert.Equal(Token, (await OpenAsync(after, dev)).Token);
        await using var check = after.CreateContext();
        Assert.All(await check.ClusterCredentials.ToListAsync(), c => Assert.Equal(MasterKeyRing.KeyId(Convert.FromBase64String(KeyB)), c.KeyId));
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_cluster_does_not_decrypt()
    {
        await using var database = await EmptyDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var host = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, KeyA)]);
        await host.MigrateAsync();
        var prod = await RegisterAsync(host, "prod");
        var dev = await RegisterAsync(host, "dev");

        await using (var db = host.CreateContext())
        {
            var stolen = await db.ClusterCredentials.SingleAsync(c => c.ClusterId == prod);
            var target = await db.ClusterCredentials.SingleAsync(c => c.ClusterId == dev);
            target.Ciphertext = stolen.Ciphertext;
            await db.SaveChangesAsync();
        }

        var ex = await Assert.ThrowsAsync<SecretUnreadableException>(() => OpenAsync(host, dev));
        Assert.Equal("The stored secret is damaged or belongs to another record.", ex.Message);
    }

    [Fact]
    public async Task Removing_a_cluster_removes_its_credentials()
    {
        await using var database = await EmptyDatabase.CreateAsync(DatabaseProvider.Postgres);
        using var host = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, KeyA)]);
        await host.MigrateAsync();
        var prod = await RegisterAsync(host, "prod");

        await using (var db = host.CreateContext())
        {
            await db.Clusters.Where(c => c.Id == prod).ExecuteDeleteAsync();
        }

        await using var check = host.CreateContext();
        Assert.Equal(0, await check.ClusterCredentials.CountAsync());
    }

    private static async Task<Guid> RegisterAsync(RegistryHost host, string name)
    {
        var vault = host.Services.GetRequiredService<CredentialVault>();
        await using var db = host.CreateContext();
        var cluster = new Cluster { Id = Guid.NewGuid(), Name = name, ApiServerUrl = "https://10.0.0.1:6443" };
        db.Clusters.Add(cluster);
        db.ClusterCredentials.Add(vault.Seal(cluster.Id, new ClusterCredentials { Token = Token, ClientKeyPem = ClientKey, ClientCertificatePem = "cert" }));
        await db.SaveChangesAsync();
        return cluster.Id;
    }

    private static async Task<ClusterCredentials> OpenAsync(RegistryHost host, Guid clusterId)
    {
        await using var db = host.CreateContext();
        var stored = await db.ClusterCredentials.AsNoTracking().SingleAsync(c => c.ClusterId == clusterId);
        return host.Services.GetRequiredService<CredentialVault>().Open(stored);
    }

    private static async Task<string> DumpAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM {table} t", connection);
        var rows = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.AppendLine(reader.GetString(0));
        }
        return rows.ToString();
    }
}
