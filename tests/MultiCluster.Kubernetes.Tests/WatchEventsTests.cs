using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The watch decoder on a real HTTP response read by KubernetesClient (a loopback server of the test's own).</summary>
public sealed class WatchEventsTests
{
    [Fact]
    public async Task Every_event_is_read_in_order_however_long_and_errors_and_bad_lines_go_to_the_error_handler()
    {
        var big = new string('x', 200_000);
        string[] lines =
        [
            Event("ADDED", TestPods.Pod("a", "1")),
            // Longer than the reader's first buffer, so it must grow it.
            Event("MODIFIED", TestPods.Pod("b", "2", big)),
            """{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"3"}}}""",
            "",
            "{not json",
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (3)","reason":"Expired","code":410}}""",
            // The last event, with no newline after it.
            Event("DELETED", TestPods.Pod("a", "4")),
        ];
        await using var server = new LoopbackHttpServer(HttpStatusCode.OK, "application/json", string.Join("\r\n", lines));
        using var client = new ClusterApiClient(new KubernetesClientConfiguration { Host = server.Url.ToString().TrimEnd('/') });
        var errors = new List<Exception>();

        var events = new List<(WatchEventType Type, V1Pod Pod)>();
        await foreach (var e in WatchEvents.ReadAsync<V1Pod, V1PodList>(
            client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(watch: true, allowWatchBookmarks: true), errors.Add, CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal(
            [(WatchEventType.Added, "a", "1"), (WatchEventType.Modified, "b", "2"), (WatchEventType.Bookmark, null, "3"), (WatchEventType.Deleted, "a", "4")],
            events.Select(e => (e.Type, (string?)e.Pod.Metadata.Name, e.Pod.Metadata.ResourceVersion)));
        Assert.Equal(big, events[1].Pod.Metadata.Annotations["note"]);
        Assert.Collection(errors,
            bad => Assert.IsAssignableFrom<JsonException>(bad),
            expired => Assert.Equal(410, Assert.IsType<KubernetesException>(expired).Status.Code));
    }

    [Fact]
    public async Task A_stream_cut_in_the_middle_of_an_event_ends_as_a_broken_connection_after_the_events_before_it()
    {
        var whole = Event("ADDED", TestPods.Pod("a", "1"));
        await using var server = new LoopbackHttpServer(HttpStatusCode.OK, "application/json", whole + "\n" + Event("MODIFIED", TestPods.Pod("a", "2"))[..40]);
        using var client = new ClusterApiClient(new KubernetesClientConfiguration { Host = server.Url.ToString().TrimEnd('/') });
        var errors = new List<Exception>();
        var names = new List<string>();

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var (_, pod) in WatchEvents.ReadAsync<V1Pod, V1PodList>(client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(watch: true), errors.Add, CancellationToken.None))
            {
                names.Add(pod.Metadata.ResourceVersion);
            }
        });

        Assert.Equal(["1"], names);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_client_that_read_the_watch_itself_is_refused_in_words()
    {
        await using var server = new LoopbackHttpServer(HttpStatusCode.OK, "application/json", Event("ADDED", TestPods.Pod("a", "1")));
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.Url.ToString().TrimEnd('/') });

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in WatchEvents.ReadAsync<V1Pod, V1PodList>(client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(watch: true), _ => { }, CancellationToken.None))
            {
            }
        });
        Assert.Contains(nameof(ClusterApiClient), refused.Message);
    }

    private static string Event(string type, V1Pod pod) => $$"""{"type":"{{type}}","object":{{KubernetesJson.Serialize(pod)}}}""";
}
