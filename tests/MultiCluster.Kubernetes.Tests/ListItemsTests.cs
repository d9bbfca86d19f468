using System.Net;
using k8s;
using k8s.Models;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Informers;

namespace MultiCluster.Kubernetes.Tests;

/// <summary>The list page decoder on a real HTTP response requested through KubernetesClient (a loopback server of the test's own).</summary>
public sealed class ListItemsTests
{
    [Fact]
    public async Task Every_object_of_a_page_is_handed_over_in_order_however_long_with_the_lists_metadata_wherever_it_is()
    {
        var big = new string('x', 200_000);
        var pods = Enumerable.Range(0, 300).Select(i => TestPods.Pod($"p{i}", $"{i}", i == 150 ? big : null)).ToList();
        // More than the decoder's first buffer (the page arrives in pieces), one object longer than it, fields it does
        // not know, a null among the items, and the list's metadata after them.
        var body = $$"""
            {"kind":"PodList","apiVersion":"v1","extra":{"nested":[1,2,{"a":"}"}]},
             "items":[{{string.Join(",", pods.Select(p => KubernetesJson.Serialize(p)))}},null],
             "metadata":{"resourceVersion":"42","continue":"next-page"}
            }
            """;
        await using var server = new LoopbackHttpServer(HttpStatusCode.OK, "application/json", body);
        using var client = new ClusterApiClient(new KubernetesClientConfiguration { Host = server.Url.ToString().TrimEnd('/') });

        var read = new List<V1Pod>();
        var metadata = await ListItems.ReadAsync<V1Pod, V1PodList>(
            () => client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(limit: 500), read.Add, CancellationToken.None);

        Assert.Equal(pods.Select(p => (p.Metadata.Name, p.Metadata.ResourceVersion)), read.Select(p => (p.Metadata.Name, p.Metadata.ResourceVersion)));
        Assert.Equal(big, read[150].Metadata.Annotations["note"]);
        Assert.Equal("Running", read[299].Status.Phase);
        Assert.Equal(("42", "next-page"), (metadata?.ResourceVersion, metadata?.ContinueProperty));
    }

    [Fact]
    public async Task A_page_cut_short_ends_as_a_broken_connection_after_the_objects_before_the_cut()
    {
        var whole = $$"""{"kind":"PodList","metadata":{"resourceVersion":"7"},"items":[{{KubernetesJson.Serialize(TestPods.Pod("a", "1"))}},{{KubernetesJson.Serialize(TestPods.Pod("b", "2"))}}]}""";
        await using var server = new LoopbackHttpServer(HttpStatusCode.OK, "application/json", whole[..(whole.IndexOf("\"b\"", StringComparison.Ordinal) + 5)]);
        using var client = new ClusterApiClient(new KubernetesClientConfiguration { Host = server.Url.ToString().TrimEnd('/') });
        var names = new List<string>();

        await Assert.ThrowsAsync<IOException>(() =>
            ListItems.ReadAsync<V1Pod, V1PodList>(() => client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(), p => names.Add(p.Metadata.Name), CancellationToken.None));

        Assert.Equal(["a"], names);
    }

    [Fact]
    public async Task Only_the_list_it_was_asked_to_read_is_left_unread_by_the_client()
    {
        var page = $$"""{"kind":"PodList","metadata":{"resourceVersion":"3"},"items":[{{KubernetesJson.Serialize(TestPods.Pod("a", "1"))}}]}""";
        await using var server = new LoopbackHttpServer(HttpStatusCode.OK, "application/json", page);
        using var client = new ClusterApiClient(new KubernetesClientConfiguration { Host = server.Url.ToString().TrimEnd('/') });

        await ListItems.ReadAsync<V1Pod, V1PodList>(() => client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(), _ => { }, CancellationToken.None);
        // The same client, asked afterwards by anyone else, decodes its answers as KubernetesClient does.
        var list = await client.CoreV1.ListPodForAllNamespacesAsync();

        Assert.Equal("a", Assert.Single(list.Items).Metadata.Name);
    }

    [Fact]
    public async Task A_client_that_decodes_the_page_itself_gives_the_same_objects()
    {
        var page = $$"""{"kind":"PodList","metadata":{"resourceVersion":"3","continue":"c"},"items":[{{KubernetesJson.Serialize(TestPods.Pod("a", "1"))}},{{KubernetesJson.Serialize(TestPods.Pod("b", "2"))}}]}""";
        await using var server = new LoopbackHttpServer(HttpStatusCode.OK, "application/json", page);
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.Url.ToString().TrimEnd('/') });
        var names = new List<string>();

        var metadata = await ListItems.ReadAsync<V1Pod, V1PodList>(() => client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(), p => names.Add(p.Metadata.Name), CancellationToken.None);

        Assert.Equal(["a", "b"], names);
        Assert.Equal("c", metadata?.ContinueProperty);
    }
}
