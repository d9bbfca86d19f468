using System.Text.Json.Nodes;

namespace MultiCluster.Simulator.Tests;

/// <summary>Quotas and LimitRanges through the real kubectl: its protobuf create, its tables, and the refusals it prints.</summary>
public sealed class KubectlQuotaTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private Kubectl Kubectl => fixture.Kubectl;

    [Fact]
    public async Task Create_quota_then_the_fourth_configmap_is_refused_and_get_and_describe_show_usage()
    {
        await Kubectl.OkAsync("create namespace kq-objects");

        var created = await Kubectl.OkAsync("create quota objects -n kq-objects --hard=pods=2,count/configmaps=3,limits.cpu=2");
        await WaitForQuotaAsync("kq-objects", "objects", hardCount: 3);
        for (var i = 1; i <= 3; i++)
        {
            await Kubectl.OkAsync($"create configmap cm-{i} -n kq-objects --from-literal=mode=fast");
        }
        var fourth = await Kubectl.RunAsync("create configmap cm-4 -n kq-objects --from-literal=mode=fast");
        var table = (await Kubectl.OkAsync("get quota -n kq-objects")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var describe = (await Kubectl.OkAsync("describe quota objects -n kq-objects")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("resourcequota/objects created", created.Trim());
        Assert.NotEqual(0, fourth.ExitCode);
        Assert.Equal("error: failed to create configmap: configmaps \"cm-4\" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=3, limited: count/configmaps=3",
            fourth.Error.Trim());
        Assert.Equal(["NAME", "AGE", "REQUEST", "LIMIT"], Kubectl.Columns(table[0]));
        var row = Kubectl.Columns(table[1]);
        Assert.Equal(("objects", "count/configmaps: 3/3, pods: 0/2", "limits.cpu: 0/2"), (row[0], row[2], row[3]));
        Assert.Contains(describe, l => Kubectl.Columns(l) is ["count/configmaps", "3", "3"]);
        Assert.Contains(describe, l => Kubectl.Columns(l) is ["pods", "0", "2"]);
    }

    [Fact]
    public async Task Applied_quantities_are_stored_in_canonical_form()
    {
        await Kubectl.OkAsync("create namespace kq-canonical");

        await Kubectl.OkAsync("apply -n kq-canonical -f -", """
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: compute}
            spec:
              hard: {requests.cpu: 1000m, requests.memory: 1024Mi, limits.cpu: "0.5", pods: 10}
            """);
        var quota = await WaitForQuotaAsync("kq-canonical", "compute", hardCount: 4);
        var invalid = await Kubectl.RunAsync("apply -n kq-canonical -f -", "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: broken}\nspec:\n  hard: {pods: lots}\n");

        Assert.Equal("""{"limits.cpu":"500m","pods":"10","requests.cpu":"1","requests.memory":"1Gi"}""", quota["spec"]!["hard"]!.ToJsonString());
        Assert.Equal("""{"limits.cpu":"0","pods":"0","requests.cpu":"0","requests.memory":"0"}""", quota["status"]!["used"]!.ToJsonString());
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'", invalid.Error);
    }

    [Fact]
    public async Task LimitRanges_print_default_pods_and_refuse_those_out_of_bounds()
    {
        await Kubectl.OkAsync("create namespace kq-limits");

        var applied = await Kubectl.OkAsync("apply -n kq-limits -f -", """
            apiVersion: v1
            kind: LimitRange
            metadata: {name: bounds}
            spec:
              limits:
              - type: Container
                default: {cpu: 500m, memory: 256Mi}
                defaultRequest: {cpu: 250m}
                max: {cpu: "2"}
            """);
        var table = (await Kubectl.OkAsync("get limits -n kq-limits")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var greedy = await Kubectl.RunAsync("apply -n kq-limits -f -", """
            apiVersion: v1
            kind: Pod
            metadata: {name: greedy}
            spec:
              containers:
              - {name: app, image: "nginx:1.27", resources: {limits: {cpu: "4"}}}
            """);
        await Kubectl.OkAsync("run plain -n kq-limits --image=nginx:1.27 --restart=Never");
        var limits = await Kubectl.OkAsync("get pod plain -n kq-limits -o jsonpath={.spec.containers[0].resources}");

        Assert.Equal("limitrange/bounds created", applied.Trim());
        Assert.Equal(["NAME", "CREATED AT"], Kubectl.Columns(table[0]));
        Assert.Matches(@"^bounds\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", table[1].Trim());
        Assert.NotEqual(0, greedy.ExitCode);
        Assert.Equal("Error from server (Forbidden): error when creating \"STDIN\": pods \"greedy\" is forbidden: maximum cpu usage per Container is 2, but limit is 4", greedy.Error.Trim());
        Assert.Equal("""{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"250m","memory":"256Mi"}}""", limits);
    }

    [Fact]
    public async Task A_deployment_beyond_its_quota_reports_FailedCreate_events_and_a_ReplicaFailure_condition()
    {
        await Kubectl.OkAsync("create namespace kq-capped");
        await Kubectl.OkAsync("create quota pods -n kq-capped --hard=pods=2");
        await WaitForQuotaAsync("kq-capped", "pods", hardCount: 1);

        await Kubectl.OkAsync("create deployment capped -n kq-capped --image=nginx:1.27 --replicas=3");

        await Wait.ForAsync(async () => (await Kubectl.OkAsync("get deployment capped -n kq-capped -o jsonpath={.status.conditions[?(@.type=='ReplicaFailure')].reason}")) == "FailedCreate",
            "the deployment's ReplicaFailure condition");
        var events = JsonNode.Parse(await Kubectl.OkAsync("get events -n kq-capped --field-selector reason=FailedCreate -o json"))!["items"]!.AsArray();
        var failure = events.First(e => e!["involvedObject"]!["kind"]!.ToString() == "ReplicaSet")!;
        Assert.Equal("Warning", failure["type"]!.ToString());
        Assert.Matches(@"^Error creating: pods ""capped-[a-z0-9]+-[a-z0-9]{5}"" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2$", failure["message"]!.ToString());
        Assert.Equal(2, (await Kubectl.OkAsync("get pods -n kq-capped --no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private async Task<JsonNode> WaitForQuotaAsync(string ns, string name, int hardCount)
    {
        JsonNode? quota = null;
        await Wait.ForAsync(async () => (quota = JsonNode.Parse(await Kubectl.OkAsync($"get quota {name} -n {ns} -o json")))!["status"]?["hard"]?.AsObject().Count == hardCount,
            $"quota {name} taken up by the quota controller");
        return quota!;
    }
}
