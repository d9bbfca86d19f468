using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Tests;

/// <summary>The wire protocol as kube-apiserver shapes it: discovery, Tables, OpenAPI, Status errors.</summary>
public sealed class ProtocolTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    private readonly HttpClient _http = RawHttp.Create(fixture.Cluster);

    [Fact]
    public async Task Discovery_describes_resources_verbs_short_names_and_subresources()
    {
        var (_, core) = await _http.GetJsonAsync("api/v1");
        var (_, apps) = await _http.GetJsonAsync("apis/apps/v1");
        var (_, groups) = await _http.GetJsonAsync("apis");

        Assert.Equal("APIResourceList", core["kind"]!.ToString());
        var pods = core["resources"]!.AsArray().Single(r => r!["name"]!.ToString() == "pods")!;
        Assert.Equal("Pod", pods["kind"]!.ToString());
        Assert.True((bool)pods["namespaced"]!);
        Assert.Equal(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], pods["verbs"]!.AsArray().Select(v => v!.ToString()));
        Assert.Equal(["po"], pods["shortNames"]!.AsArray().Select(v => v!.ToString()));
        Assert.Contains(core["resources"]!.AsArray(), r => r!["name"]!.ToString() == "pods/log");
        var scale = apps["resources"]!.AsArray().Single(r => r!["name"]!.ToString() == "deployments/scale")!;
        Assert.Equal("autoscaling", scale["group"]!.ToString());
        Assert.Equal("Scale", scale["kind"]!.ToString());
        Assert.Equal(["apps", "rbac.authorization.k8s.io", "networking.k8s.io", "coordination.k8s.io", "policy", "authentication.k8s.io", "authorization.k8s.io"], groups["groups"]!.AsArray().Select(g => g!["name"]!.ToString()));
    }

    [Fact]
    public async Task Pod_tables_have_the_real_columns_with_wide_ones_at_priority_1()
    {
        await Wait.ForAsync(async () => (await _http.GetJsonAsync("api/v1/namespaces/team-a/pods?fieldSelector=status.phase%3DRunning")).Body["items"]!.AsArray().Count > 0, "a running pod");

        var (status, table) = await _http.GetJsonAsync("api/v1/namespaces/team-a/pods", TableAccept);

        Assert.Equal(200, status);
        Assert.Equal("Table", table["kind"]!.ToString());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.ToString());
        var columns = table["columnDefinitions"]!.AsArray().Select(c => (Name: c!["name"]!.ToString(), Priority: (int)c["priority"]!)).ToList();
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], columns.Select(c => c.Priority));
        var row = table["rows"]![0]!;
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.ToString());
        Assert.Equal(9, row["cells"]!.AsArray().Count);
    }

    [Fact]
    public async Task Node_tables_and_default_tables()
    {
        var (_, nodes) = await _http.GetJsonAsync("api/v1/nodes", TableAccept);
        var (_, roles) = await _http.GetJsonAsync("apis/rbac.authorization.k8s.io/v1/clusterroles", TableAccept);

        Assert.Equal(["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"],
            nodes["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()));
        Assert.Equal(["Name", "Created At"], roles["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()));
    }

    [Fact]
    public async Task OpenApi_v2_is_generated_from_the_model_types()
    {
        var (status, document) = await _http.GetJsonAsync("openapi/v2");

        Assert.Equal(200, status);
        Assert.Equal("2.0", document["swagger"]!.ToString());
        var pod = document["definitions"]!["io.k8s.api.core.v1.Pod"]!;
        Assert.Equal("Pod", pod["x-kubernetes-group-version-kind"]![0]!["kind"]!.ToString());
        Assert.True(pod["properties"]!.AsObject().ContainsKey("spec"));
        Assert.True(document["definitions"]!.AsObject().ContainsKey("io.k8s.api.apps.v1.Deployment"));
    }

    [Fact]
    public async Task OpenApi_v3_index_points_at_group_version_documents()
    {
        var (_, index) = await _http.GetJsonAsync("openapi/v3");
        var url = index["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!.ToString();
        var (status, document) = await _http.GetJsonAsync(url.Replace(fixture.Cluster.BaseUrl.AbsolutePath, "", StringComparison.Ordinal));

        Assert.StartsWith(fixture.Cluster.BaseUrl.AbsolutePath + "/openapi/v3/apis/apps/v1", url);
        Assert.Equal(200, status);
        Assert.True(document["components"]!["schemas"]!.AsObject().ContainsKey("io.k8s.api.apps.v1.Deployment"));
    }

    [Fact]
    public async Task Errors_are_Status_objects_with_real_codes()
    {
        using var post = await _http.PostAsync("api/v1/namespaces/default/configmaps/some-name", new StringContent("{}", Encoding.UTF8, "application/json"));
        var (notFound, body) = await _http.GetJsonAsync("api/v1/namespaces/default/widgets");
        using var anonymous = RawHttp.Create(fixture.Cluster, token: "not-a-token");
        var (unauthorized, _) = await anonymous.GetJsonAsync("api/v1/namespaces");
        using var badPatch = new HttpRequestMessage(HttpMethod.Patch, "api/v1/namespaces/default") { Content = new StringContent("{}", Encoding.UTF8, "application/yaml") };
        using var unsupported = await _http.SendAsync(badPatch);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("Status", JsonNode.Parse(await post.Content.ReadAsStringAsync())!["kind"]!.ToString());
        Assert.Equal(404, notFound);
        Assert.Equal("NotFound", body["reason"]!.ToString());
        Assert.Equal(401, unauthorized);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
    }

    [Fact]
    public async Task Watch_frames_are_json_lines_with_type_and_object()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces?watch=1&timeoutSeconds=1");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            var frame = JsonNode.Parse(line)!;
            Assert.Equal("ADDED", frame["type"]!.ToString());
            Assert.Equal("Namespace", frame["object"]!["kind"]!.ToString());
        });
    }

    [Fact]
    public async Task Plain_http_and_a_kubeconfig_with_one_context_per_cluster()
    {
        await using var host = await Hosting.SimulatorHost.StartAsync(new Hosting.SimulatorOptions
        {
            UseHttps = false,
            Clusters = [new Hosting.ClusterOptions { Name = "plain-one", Nodes = 1 }, new Hosting.ClusterOptions { Name = "plain-two", Nodes = 1 }],
        });
        using var http = RawHttp.Create(host["plain-two"]);

        var (status, version) = await http.GetJsonAsync("version");
        var kubeconfig = host.BuildKubeconfigYaml();

        Assert.Equal("http", host["plain-two"].BaseUrl.Scheme);
        Assert.NotEqual(host["plain-one"].BaseUrl.Port, host["plain-two"].BaseUrl.Port);
        Assert.Equal(200, status);
        Assert.Equal("v1.32.2", version["gitVersion"]!.ToString());
        Assert.Contains("- name: \"plain-one\"\n  context:", kubeconfig);
        Assert.Contains($"server: \"{host["plain-two"].BaseUrl.ToString().TrimEnd('/')}\"", kubeconfig);
    }
}
