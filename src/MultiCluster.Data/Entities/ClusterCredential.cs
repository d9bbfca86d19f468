namespace MultiCluster.Data.Entities;

/// <summary>A cluster's credentials, encrypted (see <see cref="Secrets.SecretProtector"/>). One row per cluster.</summary>
public sealed class ClusterCredential
{
    public Guid ClusterId { get; set; }

    /// <summary>The master key the ciphertext was written with; records under an old key are re-encrypted by a command.</summary>
    public required string KeyId { get; set; }

    public required string Ciphertext { get; set; }
}
