using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Identity;

/// <summary><c>SignIn:*</c>: how many password sign-ins one client address may try before it waits.</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignIn";

    /// <summary>Password sign-ins per client address per <see cref="Window"/>; then the form refuses that address until the window ends.</summary>
    public int AttemptsPerWindow { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often failed sign-ins are written to the audit log, as one entry.</summary>
    public TimeSpan AuditInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Password sign-ins are throttled per client address (a rate limiter per address; an IPv6 address counts as its
/// /64, which one machine usually holds whole), never by locking the account: a stranger cannot lock anyone out. The
/// permit is taken before the password is looked at, so guesses sent all at once count as well. Each failure goes to
/// the log with the address; the audit log gets one entry per interval that sums them up, so a flood of guesses
/// cannot flood the audit log.
/// </summary>
public sealed partial class SignInThrottle : BackgroundService
{
    /// <summary>Longer names are cut in the log and the audit summary: a name is whatever a stranger typed.</summary>
    private const int MaxNameLength = 256;

    private readonly PartitionedRateLimiter<string> _attempts;
    private readonly ConcurrentDictionary<(string User, string Address), int> _unaudited = new();
    private readonly SignInThrottleOptions _options;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<SignInThrottle> _logger;

    public SignInThrottle(Microsoft.Extensions.Options.IOptions<SignInThrottleOptions> options, AuditLog audit, TimeProvider time, ILogger<SignInThrottle> logger)
    {
        (_options, _audit, _time, _logger) = (options.Value, audit, time, logger);
        _attempts = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = _options.AttemptsPerWindow,
            Window = _options.Window,
            QueueLimit = 0,
        }));
    }

    /// <summary>The client's address as throttling counts it: IPv4 whole, IPv6 by its /64.</summary>
    public static string AddressOf(HttpContext? context)
    {
        var address = context?.Connection.RemoteIpAddress;
        if (address is null)
        {
            return IPAddress.None.ToString();
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Takes one attempt of <paramref name="address"/>'s window; false when none is left: refuse without looking at the password.</summary>
    public bool TryAttempt(string address)
    {
        using var lease = _attempts.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    public void NoteFailure(string address, string userName)
    {
        userName = userName.Length > MaxNameLength ? userName[..MaxNameLength] + "…" : userName;
        _unaudited.AddOrUpdate((userName, address), 1, (_, count) => count + 1);
        LogFailed(_logger, userName, address);
        Telemetry.WebTelemetry.SignInFailures.Add(1, new KeyValuePair<string, object?>("reason", "password"));
    }

    public void NoteThrottled(string address)
    {
        LogThrottled(_logger, address);
        Telemetry.WebTelemetry.SignInFailures.Add(1, new KeyValuePair<string, object?>("reason", "throttled"));
    }

    /// <summary>Writes what failed since the last time as one audit entry; for the interval and for tests.</summary>
    public async Task AuditAsync(CancellationToken cancellationToken = default)
    {
        var taken = new List<((string User, string Address) Key, int Count)>();
        foreach (var key in _unaudited.Keys)
        {
            if (_unaudited.TryRemove(key, out var count))
            {
                taken.Add((key, count));
            }
        }
        if (taken.Count == 0)
        {
            return;
        }
        var total = taken.Sum(t => t.Count);
        string Top(IEnumerable<(string Name, int Count)> counts) =>
            string.Join(", ", counts.GroupBy(c => c.Name).Select(g => (g.Key, Count: g.Sum(c => c.Count))).OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Take(10).Select(c => $"{c.Key} ×{c.Count}"));
        await _audit.RecordAsync(AuditLog.Anonymous, AuditActions.SignIn, "sign-in form", AuditOutcome.Failed,
            $"{total} failed sign-in(s): user names {Top(taken.Select(t => (t.Key.User, t.Count)))}; from {Top(taken.Select(t => (t.Key.Address, t.Count)))}", cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.AuditInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await AuditAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogNotAudited(_logger, ex);
            }
        }
    }

    public override void Dispose()
    {
        _attempts.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Failed sign-in for user name {UserName} from {Address}")]
    private static partial void LogFailed(ILogger logger, string userName, string address);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Warning, Message = "Sign-in refused for {Address}: too many failed sign-ins from it")]
    private static partial void LogThrottled(ILogger logger, string address);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning, Message = "Failed sign-ins could not be written to the audit log")]
    private static partial void LogNotAudited(ILogger logger, Exception exception);
}
