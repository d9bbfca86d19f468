using System.Text.Json.Nodes;
using MultiCluster.Simulator.Store;

namespace MultiCluster.Simulator.Tests;

/// <summary>The real kubectl against the simulator's kubeconfig: output shaped like a real cluster's.</summary>
public sealed class KubectlTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {0}
          labels: {{app: {0}}}
        spec:
          replicas: {1}
          selector:
            matchLabels: {{app: {0}}}
          template:
            metadata:
              labels: {{app: {0}}}
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
                ports: [{{containerPort: 80}}]
                resources: {{requests: {{cpu: 50m, memory: 32Mi}}}}
        """;

    private Kubectl Kubectl => fixture.Kubectl;

    [Fact]
    public async Task Version_reports_the_cluster_version()
    {
        var output = await Kubectl.OkAsync("version --context beta -o json");

        Assert.Equal("v1.31.4", JsonNode.Parse(output)!["serverVersion"]!["gitVersion"]!.ToString());
    }

    [Fact]
    public async Task Api_resources_lists_the_served_kinds_with_short_names()
    {
        var output = await Kubectl.OkAsync("api-resources");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"], Kubectl.Columns(lines[0]));
        Assert.Contains(lines, l => Kubectl.Columns(l) is ["pods", "po", "v1", "true", "Pod"]);
        Assert.Contains(lines, l => Kubectl.Columns(l) is ["deployments", "deploy", "apps/v1", "true", "Deployment"]);
        Assert.Contains(lines, l => Kubectl.Columns(l) is ["clusterroles", "rbac.authorization.k8s.io/v1", "false", "ClusterRole"]);
        Assert.Contains(lines, l => Kubectl.Columns(l) is ["leases", "coordination.k8s.io/v1", "true", "Lease"]);
    }

    [Fact]
    public async Task Get_nodes_prints_the_real_columns()
    {
        var lines = (await Kubectl.OkAsync("get nodes")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var wide = (await Kubectl.OkAsync("get nodes -o wide")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION"], Kubectl.Columns(lines[0]));
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"], Kubectl.Columns(wide[0]));
        Assert.Equal(4, lines.Length);
        var controlPlane = Kubectl.Columns(lines[1]);
        Assert.Equal("alpha-control-plane", controlPlane[0]);
        Assert.Equal(["Ready", "control-plane"], controlPlane[1..3]);
        Assert.Equal("v1.32.2", controlPlane[4]);
        Assert.Equal("<none>", Kubectl.Columns(lines[2])[2]);
    }

    [Fact]
    public async Task Get_pods_across_namespaces_wide_and_by_label()
    {
        // Other tests' pods count towards "Running" across namespaces: wait for what the rows below read, team-a's pods.
        await Wait.ForAsync(async () => (await Kubectl.OkAsync("get pods -n team-a --no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries) is { Length: 12 } seeded &&
            seeded.All(l => Kubectl.Columns(l)[1..3] is ["1/1", "Running"]), "team-a's seeded pods running");

        var all = (await Kubectl.OkAsync("get pods -A")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var wide = (await Kubectl.OkAsync("get pods -n team-a -o wide")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var labelled = (await Kubectl.OkAsync("get pods -A -l app=web --no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var none = await Kubectl.RunAsync("get pods -l app=nothing");

        Assert.Equal(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"], Kubectl.Columns(all[0]));
        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"], Kubectl.Columns(wide[0]));
        var row = Kubectl.Columns(wide[1]);
        Assert.Equal(["1/1", "Running", "0"], row[1..4]);
        Assert.Matches(@"^10\.244\.\d+\.\d+$", row[5]);
        Assert.StartsWith("alpha-", row[6]);
        Assert.Equal(["<none>", "<none>"], row[7..9]);
        Assert.NotEmpty(labelled);
        Assert.All(labelled, l => Assert.Contains("web-", l));
        Assert.Equal("No resources found in default namespace.", none.Error.Trim());
    }

    [Fact]
    public async Task Get_pods_as_json_is_a_List_of_full_objects()
    {
        var output = await Kubectl.OkAsync("get pods -n team-a -o json");
        var list = JsonNode.Parse(output)!;

        Assert.Equal("List", list["kind"]!.ToString());
        var pod = list["items"]![0]!;
        Assert.Equal("Pod", pod["kind"]!.ToString());
        Assert.False(string.IsNullOrEmpty(pod["metadata"]!["uid"]!.ToString()));
    }

    [Fact]
    public async Task Create_apply_scale_label_annotate_and_delete_a_deployment()
    {
        Assert.Contains("deployment.apps/shop created", await Kubectl.OkAsync("apply -f -", string.Format(Deployment, "shop", 2)));
        Assert.Contains("deployment.apps/shop unchanged", await Kubectl.OkAsync("apply -f -", string.Format(Deployment, "shop", 2)));
        Assert.Contains("deployment.apps/shop configured", await Kubectl.OkAsync("apply -f -", string.Format(Deployment, "shop", 3)));
        await WaitForReadyAsync("shop", "3/3");

        Assert.Contains("deployment.apps/shop scaled", await Kubectl.OkAsync("scale deployment shop --replicas=5"));
        await WaitForReadyAsync("shop", "5/5");
        Assert.Contains("deployment.apps/shop labeled", await Kubectl.OkAsync("label deployment shop tier=frontend"));
        Assert.Contains("deployment.apps/shop annotated", await Kubectl.OkAsync("annotate deployment shop owner=team-a"));
        var labels = await Kubectl.OkAsync("get deployment shop -o jsonpath={.metadata.labels.tier},{.metadata.annotations.owner}");
        Assert.Equal("frontend,team-a", labels);

        var header = Kubectl.Columns((await Kubectl.OkAsync("get deployments")).Split('\n')[0]);
        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], header);
        Assert.Contains("deployment.apps \"shop\" deleted", await Kubectl.OkAsync("delete deployment shop"));
        await Wait.ForAsync(async () => (await Kubectl.RunAsync("get pods -l app=shop")).Error.Contains("No resources found"), "the deployment's pods to go away");
    }

    [Fact]
    public async Task Server_side_apply_creates_and_updates()
    {
        Assert.Contains("deployment.apps/ssa serverside-applied", await Kubectl.OkAsync("apply --server-side -f -", string.Format(Deployment, "ssa", 1)));
        Assert.Contains("deployment.apps/ssa serverside-applied", await Kubectl.OkAsync("apply --server-side -f -", string.Format(Deployment, "ssa", 2)));

        await WaitForReadyAsync("ssa", "2/2");
    }

    [Fact]
    public async Task Typed_create_commands_and_expose_work()
    {
        Assert.Contains("namespace/shop created", await Kubectl.OkAsync("create namespace shop"));
        Assert.Contains("configmap/settings created", await Kubectl.OkAsync("create configmap settings -n shop --from-literal=mode=fast"));
        Assert.Contains("secret/login created", await Kubectl.OkAsync("create secret generic login -n shop --from-literal=password=hunter2"));
        Assert.Contains("serviceaccount/robot created", await Kubectl.OkAsync("create serviceaccount robot -n shop"));
        Assert.Contains("deployment.apps/cart created", await Kubectl.OkAsync("create deployment cart -n shop --image=nginx:1.27 --replicas=2 --port=80"));
        Assert.Contains("service/cart exposed", await Kubectl.OkAsync("expose deployment cart -n shop --port=80 --target-port=8080 --type=NodePort"));

        Assert.Equal("fast", await Kubectl.OkAsync("get configmap settings -n shop -o jsonpath={.data.mode}"));
        Assert.Equal(Convert.ToBase64String("hunter2"u8), await Kubectl.OkAsync("get secret login -n shop -o jsonpath={.data.password}"));
        var service = Kubectl.Columns((await Kubectl.OkAsync("get service cart -n shop --no-headers")).Trim());
        Assert.Equal("NodePort", service[1]);
        Assert.Matches(@"^80:3\d{4}/TCP$", service[4]);
        await Wait.ForAsync(async () => Kubectl.Columns((await Kubectl.OkAsync("get deployment cart -n shop --no-headers")).Trim())[1] == "2/2", "cart 2/2");
    }

    [Fact]
    public async Task Create_from_a_file_then_create_again_is_AlreadyExists()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cm-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\ndata:\n  a: b\n");
        try
        {
            Assert.Contains("configmap/from-file created", await Kubectl.OkAsync($"create -f {file}"));
            var again = await Kubectl.RunAsync($"create -f {file}");

            Assert.NotEqual(0, again.ExitCode);
            Assert.Contains("Error from server (AlreadyExists): error when creating", again.Error);
            Assert.Contains("configmaps \"from-file\" already exists", again.Error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Get_pods_watch_sees_a_new_pod()
    {
        using var watch = Kubectl.Start("get pods -n default -w");
        // kubectl lists, then watches: create the pod only once it watches, so the pod arrives Pending on the watch.
        await Wait.ForAsync(() => fixture.Cluster.Store.OpenWatches(ResourceCatalog.Pods, "default") > 0, "kubectl watching the pods of default");
        await Kubectl.OkAsync("run watched-pod --image=nginx:1.27 --restart=Never");

        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (await watch.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                seen.Add(line);
                if (line.StartsWith("watched-pod", StringComparison.Ordinal) && line.Contains("Running"))
                {
                    break;
                }
            }
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }

        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], Kubectl.Columns(seen[0]));
        Assert.Contains(seen, l => l.StartsWith("watched-pod", StringComparison.Ordinal) && l.Contains("Pending"));
        Assert.Equal(["watched-pod", "1/1", "Running", "0"], Kubectl.Columns(seen[^1])[..4]);
    }

    [Fact]
    public async Task Get_raw_pages_with_limit_and_continue()
    {
        var first = JsonNode.Parse(await Kubectl.OkAsync("get --raw /api/v1/namespaces?limit=2"))!;
        var token = first["metadata"]!["continue"]!.ToString();
        var second = JsonNode.Parse(await Kubectl.OkAsync($"get --raw /api/v1/namespaces?limit=2&continue={Uri.EscapeDataString(token)}"))!;

        Assert.Equal("NamespaceList", first["kind"]!.ToString());
        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.NotEqual(first["items"]![0]!["metadata"]!["name"]!.ToString(), second["items"]![0]!["metadata"]!["name"]!.ToString());
        Assert.Equal(first["metadata"]!["resourceVersion"]!.ToString(), second["metadata"]!["resourceVersion"]!.ToString());
    }

    [Fact]
    public async Task Logs_show_generated_lines()
    {
        await Kubectl.OkAsync("run logged --image=busybox:1.36 --restart=Never");
        await Wait.ForAsync(async () => (await Kubectl.OkAsync("get pod logged -o jsonpath={.status.phase}")) == "Running", "pod logged running");

        var logs = await Kubectl.OkAsync("logs logged --tail=3");

        Assert.Equal(3, logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private Task WaitForReadyAsync(string deployment, string ready) =>
        Wait.ForAsync(async () => Kubectl.Columns((await Kubectl.OkAsync($"get deployment {deployment} --no-headers")).Trim())[1] == ready, $"deployment {deployment} {ready}");
}
