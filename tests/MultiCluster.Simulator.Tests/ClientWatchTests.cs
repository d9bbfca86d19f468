using System.Diagnostics;
using k8s;
using k8s.Models;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Tests;

/// <summary>Watches through KubernetesClient: events from a resourceVersion, bookmarks, timeouts and 410 Expired.</summary>
public sealed class ClientWatchTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _client = fixture.CreateClient();

    [Fact]
    public async Task A_watch_from_a_resourceVersion_sees_added_modified_and_deleted()
    {
        await _client.CoreV1.CreateNamespaceAsync(Manifests.Namespace("watched"));
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("watched");
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("w"), "watched");
        created.Data["key"] = "changed";
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "w", "watched");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("w", "watched");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(WatchEventType Type, string Value)>();
        var watch = _client.CoreV1.WatchListNamespacedConfigMapAsync("watched", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: timeout.Token);
        await foreach (var (type, item) in watch)
        {
            seen.Add((type, item.Data["key"]));
            if (type == WatchEventType.Deleted)
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, "value"), (WatchEventType.Modified, "changed"), (WatchEventType.Deleted, "changed")], seen);
    }

    [Fact]
    public async Task An_idle_watch_gets_bookmarks_with_the_current_resourceVersion()
    {
        var list = await _client.CoreV1.ListNamespacedSecretAsync("default");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var watch = _client.CoreV1.WatchListNamespacedSecretAsync("default", allowWatchBookmarks: true, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: timeout.Token);
        await foreach (var (type, item) in watch)
        {
            Assert.Equal(WatchEventType.Bookmark, type);
            Assert.True(long.Parse(item.Metadata.ResourceVersion) >= long.Parse(list.Metadata.ResourceVersion));
            return;
        }
        Assert.Fail("The watch ended without a bookmark.");
    }

    [Fact]
    public async Task A_watch_ends_after_timeoutSeconds()
    {
        // KubernetesClient fails a watch stream that ends before its first line, so wait for kube-public's default ServiceAccount.
        await Wait.ForAsync(async () => (await _client.CoreV1.ListNamespacedServiceAccountAsync("kube-public")).Items.Count > 0, "kube-public's default ServiceAccount");
        var started = Stopwatch.GetTimestamp();
        // Only a limit to give up at: the server, not this guard, must end the watch.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var watch = _client.CoreV1.WatchListNamespacedServiceAccountAsync("kube-public", timeoutSeconds: 1, resourceVersion: "0", cancellationToken: guard.Token);
        var events = 0;
        await foreach (var _ in watch)
        {
            events++;
        }

        Assert.False(guard.IsCancellationRequested);
        // Not before timeoutSeconds; how long after it depends on the machine's load, so no upper bound.
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9), $"The watch ended after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s.");
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resourceVersion_gets_410_Expired()
    {
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("default");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("compact-me"), "default");
        fixture.Host["beta"].Faults.CompactHistory();
        fixture.Cluster.Faults.CompactHistory();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var errors = new List<Exception>();
        var events = new List<WatchEventType>();
        var watch = _client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: list.Metadata.ResourceVersion, onError: errors.Add, cancellationToken: timeout.Token);
        try
        {
            await foreach (var (type, _) in watch)
            {
                events.Add(type);
            }
        }
        catch (KubernetesException e)
        {
            errors.Add(e);
        }

        Assert.DoesNotContain(WatchEventType.Added, events);
        var error = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.Contains("too old resource version", error.Status.Message);
    }

    [Fact]
    public async Task A_label_selected_watch_sees_objects_enter_and_leave_the_selection()
    {
        await _client.CoreV1.CreateNamespaceAsync(Manifests.Namespace("selected"));
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("selected");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("s"), "selected");
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"pick\":\"me\"}}}", V1Patch.PatchType.MergePatch), "s", "selected");
        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"pick\":null}}}", V1Patch.PatchType.MergePatch), "s", "selected");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<WatchEventType>();
        var watch = _client.CoreV1.WatchListNamespacedConfigMapAsync("selected", labelSelector: "pick=me", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: timeout.Token);
        await foreach (var (type, _) in watch)
        {
            seen.Add(type);
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Deleted], seen);
    }

    [Fact]
    public async Task Fifty_concurrent_watchers_all_see_a_change()
    {
        await _client.CoreV1.CreateNamespaceAsync(Manifests.Namespace("fanout"));
        var list = await _client.CoreV1.ListNamespacedConfigMapAsync("fanout");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var watchers = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await foreach (var (type, item) in _client.CoreV1.WatchListNamespacedConfigMapAsync("fanout", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: timeout.Token))
            {
                return (type, item.Metadata.Name);
            }
            return (WatchEventType.Error, "");
        })).ToList();
        // Every watch open before the change, so all fifty get it live rather than from the history.
        await Wait.ForAsync(() => fixture.Cluster.Store.OpenWatches(ResourceCatalog.ConfigMaps, "fanout") == 50, "fifty open watches of fanout's ConfigMaps");

        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("broadcast"), "fanout");

        var seen = await Task.WhenAll(watchers);
        Assert.All(seen, s => Assert.Equal((WatchEventType.Added, "broadcast"), s));
    }
}
