using System.Net;
using k8s;
using k8s.Models;
using MultiCluster.Data;
using MultiCluster.Simulator.Faults;
using MultiCluster.Simulator.Hosting;
using MultiCluster.Web.Fleet;

namespace MultiCluster.Web.Tests;

/// <summary>Log downloads stream from the cluster and stop at their limit, whatever the size of the log.</summary>
[Collection(MemoryMeasurements.Name)]
public sealed class PodLogDownloadTests : IAsyncLifetime
{
    private const long LogSize = 200L * 1024 * 1024;
    private SimulatorHost _simulator = default!;
    private TestDashboard _dashboard = default!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Port = 0, Clusters = [new ClusterOptions { Name = "logs", Nodes = 1, Pods = 0 }] });
        _dashboard = new TestDashboard();
        await _dashboard.RegisterAsync(_simulator["logs"]);
        await _dashboard.WaitForFleetRolesAsync("logs");
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task A_200_MB_log_downloads_as_its_first_50_MB_with_constant_memory()
    {
        using var kubernetes = new k8s.Kubernetes(_simulator["logs"].CreateClientConfiguration());
        await kubernetes.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "chatty", Annotations = new Dictionary<string, string> { [FaultAnnotations.LogBytes] = LogSize.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        }, "default");
        await WaitForRunningAsync(kubernetes);
        using var api = _dashboard.ApiClient(await _dashboard.TokenForNewUserAsync("oncall", DashboardRoles.Operator));

        using var response = await api.GetAsync("/clusters/logs/pods/default/chatty/logs", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("logs_default_chatty.log", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        await using var body = await response.Content.ReadAsStreamAsync();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peak = before;
        var buffer = new byte[64 * 1024];
        long received = 0;
        for (int read; (read = await body.ReadAsync(buffer)) > 0;)
        {
            received += read;
            if (received % (4 * 1024 * 1024) < read)
            {
                // What is alive, not garbage awaiting a collection: a log held whole would be alive here.
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            }
        }

        Assert.Equal(PodLogEndpoints.DefaultLimitBytes, received);
        // Reading the whole log into memory would keep at least its 50 MB alive; streaming keeps a few buffers.
        Assert.True(peak - before < 16L * 1024 * 1024, $"The heap grew by {(peak - before) / 1024 / 1024} MB during the download.");
    }

    [Fact]
    public async Task Whatever_the_source_sends_a_copy_stops_at_its_limit()
    {
        await using var endless = new EndlessStream();
        await using var destination = new MemoryStream();
        Assert.Equal(1000, await LimitedCopy.CopyAsync(endless, destination, 1000, CancellationToken.None));
        Assert.Equal(1000, destination.Length);
    }

    private static async Task WaitForRunningAsync(k8s.Kubernetes kubernetes)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await kubernetes.CoreV1.ReadNamespacedPodAsync("chatty", "default", cancellationToken: patience.Token)).Status?.Phase != "Running")
        {
            await Task.Delay(100, patience.Token);
        }
    }

    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'x');
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// Tests that read the whole process's live heap run alone: beside the other classes, a test holding its own tens of
/// megabytes (a PostgreSQL outage, a big snapshot) counted as the download's and failed it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    public const string Name = "Memory measurements";
}
