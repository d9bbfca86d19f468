using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Web.Access;
using MultiCluster.Web.Health;
using MultiCluster.Web.Identity;
using MultiCluster.Web.Telemetry;

namespace MultiCluster.Web.Hubs;

/// <summary>
/// <c>/hubs/fleet</c>: the fleet state for clients outside the Blazor circuit (CLIs, pager bridges, other
/// replicas later). A subscription streams a snapshot, then batches of changes about every 100 ms, of
/// the clusters the caller may see only. Signed-in browsers (cookie, from an allowed Origin: <see cref="HubOriginCheck"/>)
/// and personal access tokens are accepted. A subscription checks its caller again every
/// <see cref="FleetHubOptions.RecheckInterval"/> and ends with the reason when their access ended.
/// </summary>
[Authorize(Policy = DashboardPolicies.CookieOrToken)]
public sealed partial class FleetHub(FleetStateStore store, ClusterVisibility visibility, UserStanding standing, IOptions<FleetHubOptions> options, TimeProvider time, ILogger<FleetHub> logger,
    MultiCluster.Data.RegistryAvailability availability) : Hub
{
    public const string Path = "/hubs/fleet";

    private const string ConfirmedAtItem = "mc:confirmed_at";

    /// <summary>
    /// When the registry last confirmed the caller: a token served from <see cref="VerifiedTokens"/> says when; any other
    /// caller was confirmed as the connection opened.
    /// </summary>
    public override Task OnConnectedAsync()
    {
        Context.Items[ConfirmedAtItem] = VerifiedTokens.ConfirmedAt(Context.User) ?? time.GetUtcNow();
        return base.OnConnectedAsync();
    }

    /// <summary>Large snapshots go out in pieces, so no single message holds a whole fleet.</summary>
    private const int MaxChangesPerMessage = 5_000;

    private static readonly Dictionary<string, FleetKind> KindNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["clusters"] = FleetKind.Cluster,
        ["nodes"] = FleetKind.Node,
        ["pods"] = FleetKind.Pod,
        ["namespaces"] = FleetKind.Namespace,
        ["events"] = FleetKind.Event,
        ["resourcequotas"] = FleetKind.ResourceQuota,
        ["limitranges"] = FleetKind.LimitRange,
        ["problems"] = FleetKind.Problem,
        ["policytargets"] = FleetKind.PolicyTarget,
        ["virtualclusters"] = FleetKind.VirtualCluster,
    };

    [Authorize(Policy = DashboardActions.ReadFleet)]
    public async IAsyncEnumerable<FleetBatchMessage> Subscribe(FleetSubscriptionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var unknown = request.Kinds.Where(k => !KindNames.ContainsKey(k)).ToList();
        if (request.Kinds.Count == 0 || unknown.Count > 0)
        {
            throw new HubException($"Unknown kinds: {string.Join(", ", unknown)}. Subscribe to some of: {string.Join(", ", KindNames.Keys)}.");
        }
        var user = Context.User!;
        var confirmedAt = new StrongBox<DateTimeOffset>(Context.Items.TryGetValue(ConfirmedAtItem, out var at) && at is DateTimeOffset opened ? opened : time.GetUtcNow());
        // The connection's principal was read when it opened: check it still stands before streaming anything.
        if (await StandsAsync(user, confirmedAt, cancellationToken) is { } ended)
        {
            throw new HubException($"Access ended: {ended}");
        }
        var wanted = request.Clusters is { Count: > 0 } names ? names.ToHashSet(StringComparer.Ordinal) : null;
        var visible = visibility.For(user);
        var filter = new FleetFilter(request.Kinds.Select(k => KindNames[k]).ToHashSet(),
            cluster => visible.CanSee(cluster) && (wanted is null || wanted.Contains(cluster)));

        using var subscription = store.Subscribe(filter);
        using var counted = WebTelemetry.HubSubscription();
        foreach (var message in Messages(subscription.Snapshot, visible))
        {
            yield return message;
        }
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? endedBecause = null;
        var rechecks = RecheckAsync(user, confirmedAt, visible.Fingerprint, reason => endedBecause = reason, stopping);
        var batches = subscription.ReadBatchesAsync(stopping.Token).GetAsyncEnumerator(stopping.Token);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await batches.MoveNextAsync();
                }
                catch (OperationCanceledException) when (endedBecause is not null)
                {
                    throw new HubException($"Access ended: {endedBecause}");
                }
                if (!more)
                {
                    break;
                }
                // SignalR asks for the next item once the last one is written: this measures the batch's delivery.
                var started = time.GetTimestamp();
                foreach (var message in Messages(batches.Current, visible))
                {
                    yield return message;
                }
                WebTelemetry.HubBatchDuration.Record(time.GetElapsedTime(started).TotalSeconds);
            }
        }
        finally
        {
            await stopping.CancelAsync();
            await batches.DisposeAsync();
            await rechecks;
        }
    }

    /// <summary>
    /// Until the stream ends: every interval, does the caller still stand? If not, say why and stop the stream. While the
    /// registry does not answer, <see cref="StandsAsync"/> bounds how long the stream goes on; a check that fails otherwise
    /// is tried again at the next tick, and after three in a row the stream ends, since a stream nobody can check is one
    /// nobody may still be allowed.
    /// </summary>
    private async Task RecheckAsync(System.Security.Claims.ClaimsPrincipal user, StrongBox<DateTimeOffset> confirmedAt, string seen, Action<string> ended, CancellationTokenSource stream)
    {
        const int MaxFailedChecks = 3;
        var failed = 0;
        try
        {
            using var timer = new PeriodicTimer(options.Value.RecheckInterval, time);
            Task<bool>? tick = null;
            Task? accounts = null;
            while (true)
            {
                // At every interval, and at once when an account changed in the registry.
                tick ??= timer.WaitForNextTickAsync(stream.Token).AsTask();
                accounts ??= standing.AccountsChanged.WaitAsync(standing.AccountsChanged.Version, stream.Token);
                if (await Task.WhenAny(tick, accounts) == tick)
                {
                    if (!await tick)
                    {
                        return;
                    }
                    tick = null;
                }
                else
                {
                    await accounts;
                    accounts = null;
                }
                string? reason;
                try
                {
                    reason = await StandsAsync(user, confirmedAt, stream.Token)
                        ?? (visibility.For(user).Fingerprint == seen ? null : "The clusters you may see changed (a team or grant was edited); subscribe again.");
                    failed = 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRecheckFailed(logger, ex);
                    reason = ++failed >= MaxFailedChecks ? "Access could not be checked (the registry did not answer); connect again." : null;
                }
                if (reason is not null)
                {
                    ended(reason);
                    await stream.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stream.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Null while the caller still stands (<see cref="UserStanding.RecheckAsync"/>). While the registry does not answer, they
    /// stand for <see cref="RegistryOutage.CredentialGrace"/> after its last confirmation, so live state keeps streaming
    /// through an outage and a caller revoked or disabled just before one still stops within that bound.
    /// </summary>
    private async Task<string?> StandsAsync(System.Security.Claims.ClaimsPrincipal user, StrongBox<DateTimeOffset> confirmedAt, CancellationToken cancellationToken)
    {
        try
        {
            var reason = await standing.RecheckAsync(user, cancellationToken);
            confirmedAt.Value = time.GetUtcNow();
            return reason;
        }
        catch (Exception ex) when (RegistryOutage.Explains(ex, availability))
        {
            return time.GetUtcNow() - confirmedAt.Value <= RegistryOutage.CredentialGrace
                ? null
                : $"Access could not be checked for {RegistryOutage.CredentialGrace.TotalMinutes:0} minutes, the registry database not answering; connect again once it does.";
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "A hub subscription could not check its caller's access")]
    private static partial void LogRecheckFailed(ILogger logger, Exception exception);

    private static IEnumerable<FleetBatchMessage> Messages(FleetBatch batch, VisibleClusters visible)
    {
        var changes = batch.Changes.Where(c => c.Kind != FleetKind.PolicyTarget || visible.SeesTarget(c.Cluster, c.Key))
            .Select(c => new FleetChangeMessage(Name(c.Kind), c.Cluster, c.Key, c.Object)).ToList();
        if (changes.Count == 0)
        {
            if (batch.IsSnapshot)
            {
                yield return new FleetBatchMessage(true, []);
            }
            yield break;
        }
        for (var start = 0; start < changes.Count; start += MaxChangesPerMessage)
        {
            yield return new FleetBatchMessage(batch.IsSnapshot && start == 0, changes.GetRange(start, Math.Min(MaxChangesPerMessage, changes.Count - start)));
        }
    }

    private static readonly Dictionary<FleetKind, string> NamesOfKinds = KindNames.ToDictionary(k => k.Value, k => k.Key);

    // Once per change sent, hundreds of thousands in a large snapshot: a lookup, not a search.
    private static string Name(FleetKind kind) => NamesOfKinds[kind];
}
