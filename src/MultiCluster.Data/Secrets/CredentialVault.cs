using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Core;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data.Secrets;

/// <summary>Seals cluster credentials into registry rows and opens them again; re-encrypts under a new key.</summary>
public sealed class CredentialVault(SecretProtector protector)
{
    public ClusterCredential Seal(Guid clusterId, ClusterCredentials credentials) => new()
    {
        ClusterId = clusterId,
        KeyId = protector.CurrentKeyId,
        Ciphertext = protector.Protect(JsonSerializer.Serialize(credentials), Purpose(clusterId)),
    };

    public ClusterCredentials Open(ClusterCredential stored) =>
        JsonSerializer.Deserialize<ClusterCredentials>(protector.Unprotect(stored.Ciphertext, Purpose(stored.ClusterId)))
        ?? throw new SecretUnreadableException("The stored credentials are empty.");

    /// <summary>Re-encrypts every credential not under the current key; returns how many were rewritten.</summary>
    public async Task<int> ReencryptAsync(RegistryDbContext db, CancellationToken cancellationToken = default)
    {
        var stale = await db.ClusterCredentials.Where(c => c.KeyId != protector.CurrentKeyId).ToListAsync(cancellationToken);
        foreach (var credential in stale)
        {
            var resealed = Seal(credential.ClusterId, Open(credential));
            credential.KeyId = resealed.KeyId;
            credential.Ciphertext = resealed.Ciphertext;
        }
        await db.SaveChangesAsync(cancellationToken);
        return stale.Count;
    }

    private static string Purpose(Guid clusterId) => $"cluster-credentials:{clusterId:N}";
}
