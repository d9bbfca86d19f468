using System.Net;
using k8s;
using k8s.Autorest;

namespace MultiCluster.Simulator.Tests;

/// <summary>Lists: paging with limit and continue, label and field selectors, all namespaces.</summary>
public sealed class ClientListTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _client = fixture.CreateClient();

    [Fact]
    public async Task Paging_with_limit_and_continue_returns_every_item_once()
    {
        await _client.CoreV1.CreateNamespaceAsync(Manifests.Namespace("paging"));
        for (var i = 0; i < 7; i++)
        {
            await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap($"page-{i}"), "paging");
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _client.CoreV1.ListNamespacedConfigMapAsync("paging", limit: 3, continueParameter: token);
            names.AddRange(page.Items.Select(c => c.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            if (token is not null)
            {
                Assert.Equal(7 - names.Count, page.Metadata.RemainingItemCount);
            }
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"page-{i}"), names);
    }

    [Fact]
    public async Task A_malformed_continue_token_is_400_BadRequest()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespacedConfigMapAsync("default", continueParameter: "%%%"));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
    }

    [Fact]
    public async Task Label_selectors_support_equality_and_sets()
    {
        await _client.CoreV1.CreateNamespaceAsync(Manifests.Namespace("labels"));
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("a", new Dictionary<string, string> { ["tier"] = "web", ["env"] = "prod" }), "labels");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("b", new Dictionary<string, string> { ["tier"] = "db", ["env"] = "prod" }), "labels");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("c", new Dictionary<string, string> { ["tier"] = "cache" }), "labels");

        async Task<string> Names(string selector) =>
            string.Join(',', (await _client.CoreV1.ListNamespacedConfigMapAsync("labels", labelSelector: selector)).Items.Select(c => c.Metadata.Name));

        Assert.Equal("a", await Names("tier=web"));
        Assert.Equal("b,c", await Names("tier!=web"));
        Assert.Equal("a,b", await Names("tier in (web,db)"));
        Assert.Equal("c", await Names("tier notin (web,db)"));
        Assert.Equal("a,b", await Names("env"));
        Assert.Equal("c", await Names("!env"));
        Assert.Equal("b", await Names("env=prod,tier==db"));
    }

    [Fact]
    public async Task Field_selectors_filter_pods_by_name_node_and_phase()
    {
        await Wait.ForAsync(async () => (await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "status.phase=Running")).Items.Count == 12, "12 seeded pods running");
        var pods = await _client.CoreV1.ListPodForAllNamespacesAsync();
        var node = pods.Items[0].Spec.NodeName;

        var onNode = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}");
        var byName = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"metadata.name={pods.Items[0].Metadata.Name}");
        var inNamespace = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "metadata.namespace=team-a");
        var pending = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "status.phase=Pending");

        Assert.NotEmpty(onNode.Items);
        Assert.All(onNode.Items, p => Assert.Equal(node, p.Spec.NodeName));
        Assert.Single(byName.Items);
        Assert.All(inNamespace.Items, p => Assert.Equal("team-a", p.Metadata.NamespaceProperty));
        Assert.NotEmpty(inNamespace.Items);
        Assert.Empty(pending.Items);
    }

    [Fact]
    public async Task An_unsupported_field_selector_is_400()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "spec.nodeName=x"));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
        Assert.Contains("field label not supported", error.Response.Content);
    }

    [Fact]
    public async Task Lists_carry_the_cluster_resourceVersion()
    {
        var before = await _client.CoreV1.ListNamespacedConfigMapAsync("default");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("rv-bump"), "default");
        var after = await _client.CoreV1.ListNamespacedConfigMapAsync("default");

        Assert.True(long.Parse(after.Metadata.ResourceVersion) > long.Parse(before.Metadata.ResourceVersion));
    }
}
