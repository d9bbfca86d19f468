using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Kubernetes.Fleet;

/// <summary>
/// Everything the dashboard watches of one cluster: one informer per kind, and the cluster's health worked
/// out from theirs and published to the store as the cluster's <see cref="ClusterSummary"/>.
/// </summary>
public sealed partial class ClusterWatch : IInformerObserver, IAsyncDisposable
{
    private static readonly TimeSpan ContactResolution = TimeSpan.FromSeconds(5);

    private readonly FleetStateStore _store;
    private readonly FleetProjections _projections;
    private readonly InformerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly k8s.Kubernetes _client;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, KindWatchStatus> _kinds = [];
    private readonly Lock _gate = new();
    private readonly List<Task> _running = [];
    private WatchedCluster _cluster;
    private string? _version;
    private long _lastContactTicks;
    private long _publishedContactTicks;

    public ClusterWatch(WatchedCluster cluster, FleetStateStore store, FleetProjections projections, InformerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _cluster = cluster;
        _store = store;
        _projections = projections;
        _options = options;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ClusterWatch>();
        _version = cluster.KubernetesVersion;
        _client = KubernetesClients.Create(cluster.Server, cluster.Credentials);
    }

    public WatchedCluster Cluster => _cluster;

    public void Start()
    {
        Publish();
        Run(WatchedKinds.Namespaces);
        Run(WatchedKinds.Nodes);
        Run(WatchedKinds.Pods);
        Run(WatchedKinds.Events);
        Run(WatchedKinds.ResourceQuotas);
        _running.Add(Task.Run(() => ReadVersionAsync(_stopping.Token)));
    }

    /// <summary>The registry changed what the pages show (display name, labels); the watch itself goes on.</summary>
    public void Update(WatchedCluster cluster)
    {
        _cluster = cluster;
        Publish();
    }

    public void StatusChanged(KindWatchStatus status)
    {
        lock (_gate)
        {
            _kinds[status.Kind] = status;
        }
        Publish();
    }

    public void Contacted()
    {
        var now = _time.GetUtcNow().UtcTicks;
        Interlocked.Exchange(ref _lastContactTicks, now);
        if (now - Interlocked.Read(ref _publishedContactTicks) > ContactResolution.Ticks)
        {
            Publish();
        }
    }

    private void Run<T, TList>(WatchedKind<T, TList> kind)
        where T : IKubernetesObject<V1ObjectMeta>
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        lock (_gate)
        {
            _kinds[kind.Name] = new KindWatchStatus(kind.Name, WatchState.Listing, null);
        }
        var informer = new Informer<T, TList>(_cluster.Name, _cluster.Server, _client, kind, _store, _projections, this, _options, _time,
            _loggers.CreateLogger("MultiCluster.Kubernetes.Informers.Informer"));
        _running.Add(Task.Run(() => informer.RunAsync(_stopping.Token)));
    }

    private async Task ReadVersionAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                _version = (await _client.Version.GetCodeAsync(cancellationToken)).GitVersion;
                Publish();
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogVersionUnknown(_logger, _cluster.Name, ex.GetType().Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Publish()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        KindWatchStatus[] kinds;
        lock (_gate)
        {
            kinds = [.. _kinds.Values.OrderBy(k => k.Kind, StringComparer.Ordinal)];
        }
        var contact = Interlocked.Read(ref _lastContactTicks);
        Interlocked.Exchange(ref _publishedContactTicks, contact);
        var cluster = _cluster;
        _store.Apply(FleetChange.Upsert(new ClusterSummary
        {
            Cluster = cluster.Name,
            DisplayName = cluster.DisplayName,
            Labels = cluster.Labels,
            KubernetesVersion = _version,
            Health = ClusterHealthRules.Combine(kinds),
            Problem = ClusterHealthRules.Problem(kinds),
            LastContact = contact == 0 ? null : new DateTimeOffset(contact, TimeSpan.Zero),
            Kinds = kinds,
            InsecureSkipTlsVerify = cluster.Credentials.InsecureSkipTlsVerify,
        }));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_running);
        }
        catch (OperationCanceledException)
        {
        }
        _client.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Could not read the Kubernetes version of cluster {Cluster} yet ({Error})")]
    private static partial void LogVersionUnknown(ILogger logger, string cluster, string error);
}
