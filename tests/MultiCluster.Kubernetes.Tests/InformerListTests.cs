using System.Net;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MultiCluster.Core;
using MultiCluster.Core.Fleet;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Fleet;
using MultiCluster.Kubernetes.Informers;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The pod informer's list against a simulated cluster whose first list answer breaks off partway through a page.</summary>
public sealed class InformerListTests
{
    [Fact]
    public async Task A_list_page_cut_partway_leaves_no_pod_out_of_the_store_after_the_next_list()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Port = 0,
            Clusters = [new ClusterOptions { Name = "delta", Nodes = 2, Pods = 60 }],
        });
        var cluster = simulator["delta"];
        await Eventually.WaitForAsync(() => cluster.Store.Count(ResourceCatalog.Pods) >= 60, TimeSpan.FromSeconds(30), "the cluster's pods");
        var cut = new CutFirstList(bytes: 20_000);
        using var client = new ClusterApiClient(
            KubernetesClients.Configuration(cluster.BaseUrl, new ClusterCredentials { Token = cluster.Token, CertificateAuthorityPem = cluster.CertificateAuthorityPem }),
            cut);
        using var store = new FleetStateStore(TimeProvider.System);
        var options = new InformerOptions { PageSize = 500, InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200) };
        var informer = new Informer<V1Pod, V1PodList>("delta", cluster.BaseUrl, client, WatchedKinds.Pods, store, new FleetProjections(new StringPool()),
            new NoObserver(), options, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        var running = informer.RunAsync(stop.Token);
        try
        {
            await Eventually.WaitForAsync(() => informer.Relists >= 2 && store.Count(FleetKind.Pod, "delta") == cluster.Store.Count(ResourceCatalog.Pods),
                TimeSpan.FromSeconds(30), "every pod in the store after the second list");
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        // The first answer broke off in the middle of its page, after some pods were read.
        Assert.True(cut.Cut);
        var names = cluster.Store.Snapshot(ResourceCatalog.Pods).Select(p => $"{p.Namespace}/{p.Name}").Order(StringComparer.Ordinal);
        Assert.Equal(names, store.All<PodSummary>(FleetKind.Pod, "delta").Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    /// <summary>Lets the first list answer through for <paramref name="bytes"/> bytes, then breaks the connection.</summary>
    private sealed class CutFirstList(int bytes) : DelegatingHandler
    {
        private int _lists;

        public bool Cut { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var isList = request.RequestUri!.AbsolutePath.EndsWith("/pods", StringComparison.Ordinal) && !request.RequestUri.Query.Contains("watch=true", StringComparison.Ordinal);
            if (isList && Interlocked.Increment(ref _lists) == 1 && response.StatusCode == HttpStatusCode.OK)
            {
                Cut = true;
                var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                var content = new StreamContent(new BreaksAfter(body, bytes));
                foreach (var header in response.Content.Headers)
                {
                    content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
                content.Headers.ContentLength = null;
                response.Content = content;
            }
            return response;
        }
    }

    private sealed class BreaksAfter(Stream inner, int bytes) : Stream
    {
        private int _left = bytes;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left <= 0)
            {
                throw new IOException("The connection broke (test).");
            }
            var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, _left)], cancellationToken);
            _left -= read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private sealed class NoObserver : IInformerObserver
    {
        public void StatusChanged(KindWatchStatus status)
        {
        }

        public void Contacted()
        {
        }
    }
}
