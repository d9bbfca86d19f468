namespace MultiCluster.Data.Entities;

/// <summary>A token a user created for automation. Only its hash is stored; the token is shown once.</summary>
public sealed class PersonalAccessToken
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the whole token, hex. Tokens carry 256 random bits, so a fast hash is enough.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The first characters of the token, so a user can tell tokens apart without the secret.</summary>
    public required string Prefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
