using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Data.Entities;

namespace MultiCluster.Data;

/// <summary>Creates, finds and revokes personal access tokens. The token text exists only in the creator's hands.</summary>
public sealed class PersonalAccessTokens(IDbContextFactory<RegistryDbContext> factory, AuditLog audit, TimeProvider time)
{
    public const string Prefix = "mcp_";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    public sealed record Created(PersonalAccessToken Token, string Secret);

    public async Task<Created> CreateAsync(DashboardUser user, string name, TimeSpan lifetime, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100)
        {
            throw new ArgumentException("A token needs a name of at most 100 characters, such as 'ci'.", nameof(name));
        }
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentException("A token expires after at least a minute and at most a year.", nameof(lifetime));
        }
        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var token = new PersonalAccessToken
        {
            Id = Guid.NewGuid(),
            UserId = user.Id,
            Name = name.Trim(),
            TokenHash = Hash(secret),
            Prefix = secret[..(Prefix.Length + 6)],
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.PersonalAccessTokens.Add(token);
        audit.Add(db, actor, "token.create", $"user/{user.UserName}", AuditOutcome.Succeeded, $"token '{token.Name}' ({token.Prefix}…), expires {token.ExpiresAt:u}");
        await db.SaveChangesAsync(cancellationToken);
        return new Created(token, secret);
    }

    /// <summary>The live token with this text, or null (unknown, revoked or expired). Notes the use, at most once a minute.</summary>
    public async Task<PersonalAccessToken?> FindActiveAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return null;
        }
        var hash = Hash(secret);
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var token = await db.PersonalAccessTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return null;
        }
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        return token;
    }

    public async Task<IReadOnlyList<PersonalAccessToken>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.PersonalAccessTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Revokes one of the user's tokens; false when there is no such live token.</summary>
    public async Task<bool> RevokeAsync(string userId, Guid tokenId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var token = await db.PersonalAccessTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, cancellationToken);
        if (token is null || token.RevokedAt is not null)
        {
            return false;
        }
        token.RevokedAt = time.GetUtcNow();
        audit.Add(db, actor, "token.revoke", $"token/{token.Prefix}", AuditOutcome.Succeeded, $"token '{token.Name}'");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Revokes every live token of a user (a password reset or change, an administrator's say); returns how many.</summary>
    public async Task<int> RevokeAllAsync(DashboardUser user, string actor, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var live = await db.PersonalAccessTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var token in live)
        {
            token.RevokedAt = now;
        }
        if (live.Count > 0)
        {
            audit.Add(db, actor, "token.revoke", $"user/{user.UserName}", AuditOutcome.Succeeded, $"{live.Count} token(s): {reason}");
            await db.SaveChangesAsync(cancellationToken);
        }
        return live.Count;
    }

    /// <summary>Whether the token with this id is still live (not revoked, not expired): for streams that outlive their request.</summary>
    public async Task<bool> IsActiveAsync(Guid tokenId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var token = await db.PersonalAccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);
        return token is { RevokedAt: null } && token.ExpiresAt > now;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
