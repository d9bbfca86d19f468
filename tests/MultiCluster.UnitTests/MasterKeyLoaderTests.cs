using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Data.Secrets;

namespace MultiCluster.UnitTests;

public sealed class MasterKeyLoaderTests : IDisposable
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("mc-keys-");

    [Fact]
    public void Without_a_key_outside_development_the_app_is_told_which_setting_to_give()
    {
        var ex = Assert.Throws<SecretConfigurationException>(() => Load(new MasterKeyOptions()));

        Assert.StartsWith("No master key is configured, and cluster credentials are only ever stored encrypted. Set MC_MASTER_KEY to 32 random bytes in base64", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64!", "MC_MASTER_KEY is not base64")]
    [InlineData("c2hvcnQ=", "MC_MASTER_KEY is 5 bytes; a master key is 32 random bytes")]
    public void A_malformed_key_names_the_setting(string key, string expected)
    {
        var ex = Assert.Throws<SecretConfigurationException>(() => Load(new MasterKeyOptions(), (MasterKeyOptions.MasterKeyVariable, key)));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_generates_an_owner_only_key_file_once_and_reuses_it()
    {
        var options = new MasterKeyOptions { GenerateInDataDirectory = true };

        var first = Load(options);
        var second = Load(options);

        var file = Path.Combine(_dataDirectory.FullName, "master.key");
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.Equal(first.CurrentKeyId, second.CurrentKeyId);
    }

    [Fact]
    public void A_key_file_gives_the_current_key_first_and_previous_keys_after()
    {
        var current = MasterKeyRing.NewKey();
        var previous = MasterKeyRing.NewKey();
        var file = Path.Combine(_dataDirectory.FullName, "keys");
        File.WriteAllLines(file, ["# rotated 2026-11-23", Convert.ToBase64String(current), "", Convert.ToBase64String(previous)]);

        var ring = Load(new MasterKeyOptions { MasterKeyFile = file });

        Assert.Equal(MasterKeyRing.KeyId(current), ring.CurrentKeyId);
        Assert.True(ring.TryGetKey(MasterKeyRing.KeyId(previous), out _));
    }

    [Fact]
    public void A_protected_value_round_trips_only_for_its_own_purpose()
    {
        var protector = new SecretProtector(new MasterKeyRing(MasterKeyRing.NewKey()));

        var sealedValue = protector.Protect("token-123", "cluster-credentials:a");

        Assert.DoesNotContain("token-123", sealedValue, StringComparison.Ordinal);
        Assert.Equal("token-123", protector.Unprotect(sealedValue, "cluster-credentials:a"));
        Assert.Throws<SecretUnreadableException>(() => protector.Unprotect(sealedValue, "cluster-credentials:b"));
        Assert.NotEqual(sealedValue, protector.Protect("token-123", "cluster-credentials:a"));
    }

    private MasterKeyRing Load(MasterKeyOptions options, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return MasterKeyLoader.Load(options, configuration, _dataDirectory.FullName, NullLogger.Instance);
    }

    public void Dispose() => _dataDirectory.Delete(recursive: true);
}
