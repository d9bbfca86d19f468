using System.Security.Cryptography;

namespace MultiCluster.Data.Secrets;

/// <summary>
/// The master keys: one current key that encrypts, and previous keys that still decrypt. A key's id is
/// derived from the key itself, so it can be stored with each ciphertext without being configured.
/// </summary>
public sealed class MasterKeyRing
{
    public const int KeyBytes = 32;

    private readonly Dictionary<string, byte[]> _keys;

    public MasterKeyRing(byte[] current, IEnumerable<byte[]>? previous = null)
    {
        if (current.Length != KeyBytes)
        {
            throw new ArgumentException($"A master key is {KeyBytes} bytes.", nameof(current));
        }
        CurrentKeyId = KeyId(current);
        _keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [CurrentKeyId] = current };
        foreach (var key in previous ?? [])
        {
            _keys.TryAdd(KeyId(key), key);
        }
    }

    public string CurrentKeyId { get; }

    public byte[] CurrentKey => _keys[CurrentKeyId];

    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    public bool TryGetKey(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    /// <summary>Eight hex digits of a hash of the key: enough to tell keys apart, useless to an attacker.</summary>
    public static string KeyId(byte[] key) =>
        Convert.ToHexStringLower(SHA256.HashData([.. "multicluster-master-key:"u8, .. key]))[..8];

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    /// <summary>Reads a base64 key; <paramref name="source"/> names the setting in the error.</summary>
    public static byte[] ParseKey(string text, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} is not base64; a master key is {KeyBytes} random bytes in base64 (openssl rand -base64 32).");
        }
        return key.Length == KeyBytes
            ? key
            : throw new InvalidOperationException($"{source} is {key.Length} bytes; a master key is {KeyBytes} random bytes in base64 (openssl rand -base64 32).");
    }
}
