using System.Collections.Concurrent;
using System.Security.Claims;
using MultiCluster.Web.Health;

namespace MultiCluster.Web.Identity;

/// <summary>
/// Personal access tokens the registry confirmed in the last <see cref="RegistryOutage.CredentialGrace"/>, by hash, with
/// the claims they were given then. Used only while the registry does not answer, and only for reads: so automation that
/// watches the fleet goes on through an outage, and a token revoked or a user disabled before it stops reading at most
/// that long after its last confirmation (while the registry answers, every request is checked there as usual). The
/// token's text is never kept, only its SHA-256 hash, as in the registry.
/// </summary>
public sealed class VerifiedTokens(TimeProvider time)
{
    private sealed record Entry(IReadOnlyList<Claim> Claims, DateTimeOffset VerifiedAt, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _nextPruneTicks;

    /// <summary>The registry confirmed the token with this hash just now, for <paramref name="principal"/>.</summary>
    public void Remember(string hash, ClaimsPrincipal principal, DateTimeOffset expiresAt)
    {
        var now = time.GetUtcNow();
        _entries[hash] = new Entry([.. principal.Claims.Select(c => new Claim(c.Type, c.Value, c.ValueType, c.Issuer))], now, expiresAt);
        PruneNowAndThen(now);
    }

    /// <summary>The registry refused the token with this hash (unknown, revoked, expired, its user does not stand).</summary>
    public void Forget(string hash) => _entries.TryRemove(hash, out _);

    /// <summary>The claims the token with this hash had when confirmed, if that was within the grace and it has not expired since.</summary>
    public IReadOnlyList<Claim>? Recall(string hash)
    {
        var now = time.GetUtcNow();
        return _entries.TryGetValue(hash, out var entry) && now - entry.VerifiedAt <= RegistryOutage.CredentialGrace && entry.ExpiresAt > now
            ? entry.Claims
            : null;
    }

    /// <summary>Reads only: a change made with an unconfirmed token could not be audited anyway, the registry being down.</summary>
    public static bool MayServe(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

    private void PruneNowAndThen(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextPruneTicks, (now + RegistryOutage.CredentialGrace).UtcTicks, next) != next)
        {
            return;
        }
        foreach (var (hash, entry) in _entries)
        {
            if (now - entry.VerifiedAt > RegistryOutage.CredentialGrace)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(hash, entry));
            }
        }
    }
}
