using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiCluster.Data.Secrets;

namespace MultiCluster.Data.Tests;

/// <summary>The keys behind sign-in cookies: shared through the registry, encrypted under the master key.</summary>
public sealed class DataProtectionKeyTests
{
    private static readonly string Key = Convert.ToBase64String(MasterKeyRing.NewKey());

    [Fact]
    public async Task What_one_replica_protects_another_reads_and_the_key_material_is_encrypted_in_the_database()
    {
        await using var database = await EmptyDatabase.CreateAsync(DatabaseProvider.Postgres);
        string cookie;
        using (var first = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, Key)]))
        {
            await first.MigrateAsync();
            cookie = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookies").Protect("signed-in as alice");
        }

        using var second = database.Host(settings: [new(MasterKeyOptions.MasterKeyVariable, Key)]);

        Assert.Equal("signed-in as alice", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookies").Unprotect(cookie));
        await using var db = second.CreateContext();
        var stored = Assert.Single(await db.DataProtectionKeys.ToListAsync());
        Assert.Contains("MasterKeyXmlDecryptor", stored.Xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", stored.Xml, StringComparison.Ordinal);
    }
}
