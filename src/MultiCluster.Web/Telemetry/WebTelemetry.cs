using System.Diagnostics.Metrics;

namespace MultiCluster.Web.Telemetry;

/// <summary>What the web side measures (<c>multicluster.web</c>): the fleet hub's subscribers and batches, failed sign-ins.</summary>
public static class WebTelemetry
{
    public const string Name = "multicluster.web";

    public static readonly Meter Meter = new(Name);

    // Subscriptions streaming now, read when a scrape asks. An up-down counter would hand each metrics reader only the
    // steps it saw: a reader that started after a subscription (a second dashboard in one test process, as the web
    // tests run them) counted its end as minus one and could scrape 0 beside a live subscription.
    private static long _hubSubscribers;

    private static readonly ObservableUpDownCounter<long> HubSubscribers = Meter.CreateObservableUpDownCounter(
        "multicluster.hub.subscribers", () => Interlocked.Read(ref _hubSubscribers), "{subscription}", "Fleet hub subscriptions streaming now.");

    internal static readonly Histogram<double> HubBatchDuration = Meter.CreateHistogram("multicluster.hub.batch.duration", "s",
        "From a batch of changes leaving the store's subscription to its last message written to the hub client.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    internal static readonly Histogram<double> PodQueryDuration = Meter.CreateHistogram("multicluster.pods.query.duration", "s",
        "Server time of a Pods page query (a page and its count from the pod index), by whether it searches pod names (search: name or none).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    internal static readonly Counter<long> SignInFailures = Meter.CreateCounter<long>("multicluster.signin.failures", "{attempt}",
        "Password sign-ins refused, by reason: password (unknown name or wrong password) or throttled (too many from one address).");

    /// <summary>Counts one hub subscription until the result is disposed.</summary>
    internal static IDisposable HubSubscription()
    {
        Interlocked.Increment(ref _hubSubscribers);
        return new Subscribed();
    }

    private sealed class Subscribed : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref _hubSubscribers);
            }
        }
    }
}
