using System.Security.Cryptography;
using System.Text;

namespace MultiCluster.Data.Secrets;

/// <summary>
/// AES-256-GCM under the master key ring. A protected value reads <c>v1:{keyId}:{base64(nonce|ciphertext|tag)}</c>;
/// the purpose (for example the cluster it belongs to) is authenticated too, so a ciphertext copied to
/// another record does not decrypt.
/// </summary>
public sealed class SecretProtector(MasterKeyRing keys)
{
    private const string Version = "v1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public string CurrentKeyId => keys.CurrentKeyId;

    public string Protect(string plaintext, string purpose)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceBytes + data.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.CurrentKey, TagBytes);
        aes.Encrypt(nonce, data, output.AsSpan(NonceBytes, data.Length), output.AsSpan(NonceBytes + data.Length), Encoding.UTF8.GetBytes(purpose));
        CryptographicOperations.ZeroMemory(data);
        return $"{Version}:{keys.CurrentKeyId}:{Convert.ToBase64String(output)}";
    }

    public string Unprotect(string protectedValue, string purpose)
    {
        var parts = protectedValue.Split(':', 3);
        if (parts.Length != 3 || parts[0] != Version)
        {
            throw new SecretUnreadableException("The stored secret is not in a format this version reads.");
        }
        if (!keys.TryGetKey(parts[1], out var key))
        {
            throw new SecretUnreadableException(
                $"The stored secret was encrypted with master key {parts[1]}, which is not configured; add it to {MasterKeyOptions.PreviousKeysVariable} until records are re-encrypted.");
        }
        byte[] input;
        try
        {
            input = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            throw new SecretUnreadableException("The stored secret is damaged.");
        }
        if (input.Length < NonceBytes + TagBytes)
        {
            throw new SecretUnreadableException("The stored secret is damaged.");
        }
        var length = input.Length - NonceBytes - TagBytes;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(input.AsSpan(0, NonceBytes), input.AsSpan(NonceBytes, length), input.AsSpan(NonceBytes + length), plaintext, Encoding.UTF8.GetBytes(purpose));
            return Encoding.UTF8.GetString(plaintext);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SecretUnreadableException("The stored secret is damaged or belongs to another record.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The key id a protected value was written with, or null when it is not one of ours.</summary>
    public static string? KeyIdOf(string protectedValue) =>
        protectedValue.Split(':', 3) is [Version, var keyId, _] ? keyId : null;
}

public sealed class SecretUnreadableException(string message) : Exception(message);
