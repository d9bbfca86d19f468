using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using MultiCluster.Simulator.Faults;

namespace MultiCluster.Simulator.Tests;

/// <summary>Every injected fault, observed by a client the way a real cluster shows it.</summary>
public sealed class FaultTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _client = fixture.CreateClient();

    private ClusterFaults Faults => fixture.Cluster.Faults;

    [Fact]
    public async Task A_crash_looping_pod_restarts_with_CrashLoopBackOff_and_previous_logs()
    {
        var pod = await RunningPodAsync("fault-crash");

        Faults.CrashLoopPod("default", pod);

        await Wait.ForAsync(async () => Status(await _client.CoreV1.ReadNamespacedPodAsync(pod, "default")).RestartCount >= 2, "two restarts");
        var status = Status(await _client.CoreV1.ReadNamespacedPodAsync(pod, "default"));
        Assert.Equal("CrashLoopBackOff", status.State.Waiting.Reason);
        Assert.Equal(1, status.LastState.Terminated.ExitCode);
        Assert.False(status.Ready);
        await using var previous = await _client.CoreV1.ReadNamespacedPodLogAsync(pod, "default", previous: true);
        Assert.Contains("fatal", await new StreamReader(previous).ReadToEndAsync());
    }

    [Fact]
    public async Task A_replica_that_crash_loops_and_heals_shows_in_its_replicaset_and_deployment_each_time()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("fault-ready", 2), "default");
        await Wait.ForAsync(async () => await ReadyAsync("fault-ready") == (2, 2), "2 ready replicas");
        var pod = (await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=fault-ready")).Items[0].Metadata.Name;

        // Restarts change the pod again and again while the counts stay put: the controllers must still see it go and come back.
        Faults.CrashLoopPod("default", pod);
        await Wait.ForAsync(async () => await ReadyAsync("fault-ready") == (1, 1), "1 ready replica in the ReplicaSet and the Deployment");
        Faults.HealPod("default", pod);

        await Wait.ForAsync(async () => await ReadyAsync("fault-ready") == (2, 2), "2 ready replicas again");
    }

    private async Task<(int? ReplicaSet, int? Deployment)> ReadyAsync(string deployment)
    {
        var replicaSet = (await _client.AppsV1.ListNamespacedReplicaSetAsync("default", labelSelector: "app=" + deployment)).Items.Single();
        return (replicaSet.Status?.ReadyReplicas, (await _client.AppsV1.ReadNamespacedDeploymentAsync(deployment, "default")).Status?.ReadyReplicas);
    }

    [Fact]
    public async Task A_failed_image_pull_leaves_the_pod_pending_in_ImagePullBackOff()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod("fault-pull"), "default");
        await Wait.ForAsync(async () => (await _client.CoreV1.ReadNamespacedPodAsync("fault-pull", "default")).Spec.NodeName is not null, "pod scheduled");

        Faults.FailImagePull("default", "fault-pull");

        await Wait.ForAsync(async () => Status(await _client.CoreV1.ReadNamespacedPodAsync("fault-pull", "default")).State.Waiting?.Reason == "ImagePullBackOff", "ImagePullBackOff");
        Assert.Equal("Pending", (await _client.CoreV1.ReadNamespacedPodAsync("fault-pull", "default")).Status.Phase);
    }

    [Fact]
    public async Task An_OOM_killed_container_reports_exit_code_137()
    {
        var pod = await RunningPodAsync("fault-oom");

        Faults.OomKillPod("default", pod);

        await Wait.ForAsync(async () => Status(await _client.CoreV1.ReadNamespacedPodAsync(pod, "default")).LastState?.Terminated?.Reason == "OOMKilled", "OOMKilled");
        var status = Status(await _client.CoreV1.ReadNamespacedPodAsync(pod, "default"));
        Assert.Equal(137, status.LastState.Terminated.ExitCode);
        Assert.True(status.RestartCount >= 1);

        Faults.HealPod("default", pod);
        await Wait.ForAsync(async () => Status(await _client.CoreV1.ReadNamespacedPodAsync(pod, "default")).Ready, "pod ready again");
    }

    [Fact]
    public async Task Node_faults_show_as_conditions_and_taints()
    {
        var nodes = (await _client.CoreV1.ListNodeAsync()).Items;
        var notReady = nodes[1].Metadata.Name;
        var pressured = nodes[2].Metadata.Name;
        var pinned = Manifests.Pod("fault-pinned");
        pinned.Spec.NodeName = notReady;
        await _client.CoreV1.CreateNamespacedPodAsync(pinned, "default");
        await Wait.ForAsync(async () => (await _client.CoreV1.ReadNamespacedPodAsync("fault-pinned", "default")).Status.Phase == "Running", "pinned pod running");
        try
        {
            Faults.SetNodeNotReady(notReady);
            Faults.SetNodeMemoryPressure(pressured);
            var pod = await _client.CoreV1.ReadNamespacedPodAsync("fault-pinned", "default");
            Assert.Equal("False", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);

            var down = await _client.CoreV1.ReadNodeAsync(notReady);
            var squeezed = await _client.CoreV1.ReadNodeAsync(pressured);
            Assert.Equal("Unknown", down.Status.Conditions.Single(c => c.Type == "Ready").Status);
            Assert.Contains(down.Spec.Taints, t => t.Key == "node.kubernetes.io/unreachable");
            Assert.Equal("True", squeezed.Status.Conditions.Single(c => c.Type == "MemoryPressure").Status);
            Assert.Equal("True", squeezed.Status.Conditions.Single(c => c.Type == "Ready").Status);
        }
        finally
        {
            Faults.SetNodeNotReady(notReady, false);
            Faults.SetNodeMemoryPressure(pressured, false);
        }
        Assert.Equal("True", (await _client.CoreV1.ReadNodeAsync(notReady)).Status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal("True", (await _client.CoreV1.ReadNamespacedPodAsync("fault-pinned", "default")).Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task Throttling_answers_429_with_Retry_After_and_errors_answer_500()
    {
        try
        {
            Faults.TooManyRequestsRatio = 1;
            var throttled = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespaceAsync());
            Faults.TooManyRequestsRatio = 0;
            Faults.InternalErrorRatio = 1;
            var failed = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespaceAsync());

            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Response.StatusCode);
            Assert.Equal("1", throttled.Response.Headers["Retry-After"].Single());
            Assert.Contains("\"reason\":\"TooManyRequests\"", throttled.Response.Content);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.Response.StatusCode);
            Assert.Contains("\"reason\":\"InternalError\"", failed.Response.Content);
        }
        finally
        {
            Faults.TooManyRequestsRatio = 0;
            Faults.InternalErrorRatio = 0;
        }
    }

    [Fact]
    public async Task Latency_delays_every_answer()
    {
        try
        {
            Faults.Latency = TimeSpan.FromMilliseconds(300);
            var started = DateTime.UtcNow;
            await _client.CoreV1.ListNamespaceAsync();
            Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(290));
        }
        finally
        {
            Faults.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task An_offline_cluster_refuses_connections_until_it_comes_back()
    {
        var beta = fixture.Host["beta"];
        using var client = fixture.CreateClient(beta);
        var url = beta.BaseUrl;

        await beta.Faults.TakeOfflineAsync();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespaceAsync());
        var alphaStillServes = await _client.CoreV1.ListNamespaceAsync();
        await beta.Faults.BringOnlineAsync();

        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, (error.InnerException as System.Net.Sockets.SocketException)?.SocketErrorCode);
        Assert.NotEmpty(alphaStillServes.Items);
        Assert.Equal(url, beta.BaseUrl);
        Assert.NotEmpty((await client.CoreV1.ListNamespaceAsync()).Items);
    }

    [Fact]
    public async Task A_revoked_token_is_401_until_restored()
    {
        try
        {
            Faults.RevokeToken();
            var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespaceAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
        }
        finally
        {
            Faults.RestoreToken();
        }
        Assert.NotEmpty((await _client.CoreV1.ListNamespaceAsync()).Items);
    }

    [Fact]
    public async Task Dropped_watches_end_their_streams()
    {
        // KubernetesClient fails a watch stream that ends before its first line, so give the stream one event.
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("fault-drop"), "default");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watch = _client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: "0", cancellationToken: timeout.Token);
        var received = new TaskCompletionSource();
        var ended = Task.Run(async () =>
        {
            await foreach (var _ in watch)
            {
                received.TrySetResult();
            }
        });
        await received.Task.WaitAsync(timeout.Token);

        Faults.DropWatches();

        await ended;
        Assert.False(timeout.IsCancellationRequested);
    }

    [Fact]
    public async Task Forced_expiry_makes_the_next_watch_410()
    {
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("default");
        Faults.ExpireNextWatches(1);

        var errors = new List<Exception>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var _ in _client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion, onError: errors.Add, cancellationToken: timeout.Token))
            {
            }
        }
        catch (KubernetesException e)
        {
            errors.Add(e);
        }

        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(errors)).Status.Code);
    }

    [Fact]
    public async Task Churn_creates_and_deletes_pods()
    {
        var churn = fixture.Host["beta"].Churn;
        using var beta = fixture.CreateClient(fixture.Host["beta"]);
        try
        {
            churn.PodsPerSecond = 40;
            await Wait.ForAsync(() => churn.Changes >= 20, "20 churn changes");
            // The controllers record a churn pod's events after the churn made it: wait for them, not for the count.
            await Wait.ForAsync(async () => (await beta.CoreV1.ListEventForAllNamespacesAsync()).Items.Any(e => e.InvolvedObject.Name.StartsWith("churn-", StringComparison.Ordinal)),
                "an event about a churn pod");
        }
        finally
        {
            churn.PodsPerSecond = 0;
        }
    }

    private async Task<string> RunningPodAsync(string name)
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Manifests.Pod(name), "default");
        await Wait.ForAsync(async () => (await _client.CoreV1.ReadNamespacedPodAsync(name, "default")).Status.Phase == "Running", $"{name} running");
        return name;
    }

    private static V1ContainerStatus Status(V1Pod pod) => pod.Status.ContainerStatuses.Single();
}
