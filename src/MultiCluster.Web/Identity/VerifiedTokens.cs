using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using MultiCluster.Web.Health;
using MultiCluster.Web.Hubs;

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
    /// <summary>On a principal served from here: when the registry last confirmed its token (Unix milliseconds).</summary>
    public const string ConfirmedAtClaim = "mc:confirmed_at";

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

    /// <summary>
    /// The claims the token with this hash had when confirmed, and when that was (<see cref="ConfirmedAtClaim"/>), if it was
    /// within the grace and the token has not expired since.
    /// </summary>
    public IReadOnlyList<Claim>? Recall(string hash)
    {
        var now = time.GetUtcNow();
        return _entries.TryGetValue(hash, out var entry) && now - entry.VerifiedAt <= RegistryOutage.CredentialGrace && entry.ExpiresAt > now
            ? [.. entry.Claims, new Claim(ConfirmedAtClaim, entry.VerifiedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))]
            : null;
    }

    /// <summary>When the registry last confirmed the token behind <paramref name="principal"/>, if it was served from here.</summary>
    public static DateTimeOffset? ConfirmedAt(ClaimsPrincipal? principal) =>
        long.TryParse(principal?.FindFirst(ConfirmedAtClaim)?.Value, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>
    /// Reads only: GET and HEAD, and the fleet hub, whose every method is a subscription (its negotiation and long polling
    /// use POST). A change made with an unconfirmed token could not be audited anyway, the registry being down.
    /// </summary>
    public static bool MayServe(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.Path.StartsWithSegments(FleetHub.Path);

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
