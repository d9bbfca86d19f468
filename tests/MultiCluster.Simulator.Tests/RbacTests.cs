using k8s;
using k8s.Models;
using MultiCluster.Simulator.Hosting;
using static MultiCluster.Simulator.Tests.Access;

namespace MultiCluster.Simulator.Tests;

/// <summary>RBAC as kube-apiserver evaluates it, seen by token users through KubernetesClient: what they may do and the 403 they get otherwise.</summary>
public sealed class RbacTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private readonly Kubernetes _admin = fixture.CreateClient();

    private SimulatedCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_user_without_bindings_is_refused_in_kube_apiservers_words()
    {
        using var nobody = ClientFor(Cluster, Cluster.AddUser("nobody"));

        var list = await ForbiddenAsync(() => nobody.CoreV1.ListNamespacedPodAsync("team-a"));
        var log = await ForbiddenAsync(() => nobody.CoreV1.ReadNamespacedPodLogAsync("web-1", "team-a"));
        var nodes = await ForbiddenAsync(() => nobody.CoreV1.ListNodeAsync());
        var scale = await ForbiddenAsync(() => nobody.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "team-a"));
        var ns = await ForbiddenAsync(() => nobody.CoreV1.ReadNamespaceAsync("team-a"));
        var role = await ForbiddenAsync(() => nobody.RbacAuthorizationV1.DeleteClusterRoleAsync("view"));

        Assert.Equal("pods is forbidden: User \"nobody\" cannot list resource \"pods\" in API group \"\" in the namespace \"team-a\"", list);
        Assert.Equal("pods \"web-1\" is forbidden: User \"nobody\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"team-a\"", log);
        Assert.Equal("nodes is forbidden: User \"nobody\" cannot list resource \"nodes\" in API group \"\" at the cluster scope", nodes);
        Assert.Equal("deployments.apps \"web\" is forbidden: User \"nobody\" cannot get resource \"deployments/scale\" in API group \"apps\" in the namespace \"team-a\"", scale);
        Assert.Equal("namespaces \"team-a\" is forbidden: User \"nobody\" cannot get resource \"namespaces\" in API group \"\" in the namespace \"team-a\"", ns);
        Assert.Equal("clusterroles.rbac.authorization.k8s.io \"view\" is forbidden: User \"nobody\" cannot delete resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope", role);
    }

    [Fact]
    public async Task A_RoleBinding_grants_its_role_in_its_own_namespace_only()
    {
        await CreateNamespacesAsync("rbac-granted", "rbac-elsewhere");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("erin-edit", "ClusterRole", "edit", User("erin")), "rbac-granted");
        using var erin = ClientFor(Cluster, Cluster.AddUser("erin"));

        var created = await erin.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("erin-made"), "rbac-granted");
        var itself = await erin.CoreV1.ReadNamespaceAsync("rbac-granted");
        var elsewhere = await ForbiddenAsync(() => erin.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("erin-made"), "rbac-elsewhere"));
        var roles = await ForbiddenAsync(() => erin.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("mine", Rule(["get"], ["pods"])), "rbac-granted"));
        var everywhere = await ForbiddenAsync(() => erin.CoreV1.ListConfigMapForAllNamespacesAsync());

        Assert.Equal("erin-made", created.Metadata.Name);
        Assert.Equal("rbac-granted", itself.Metadata.Name);
        Assert.Equal("configmaps is forbidden: User \"erin\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"rbac-elsewhere\"", elsewhere);
        Assert.Equal("roles.rbac.authorization.k8s.io is forbidden: User \"erin\" cannot create resource \"roles\" in API group \"rbac.authorization.k8s.io\" in the namespace \"rbac-granted\"", roles);
        Assert.Equal("configmaps is forbidden: User \"erin\" cannot list resource \"configmaps\" in API group \"\" at the cluster scope", everywhere);
    }

    [Fact]
    public async Task ResourceNames_limit_a_rule_to_the_objects_it_names_and_a_watch_of_one_of_them()
    {
        await CreateNamespacesAsync("rbac-named");
        await _admin.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("settings"), "rbac-named");
        await _admin.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("other"), "rbac-named");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("settings-reader", Rule(["get", "watch"], ["configmaps"], names: ["settings"])), "rbac-named");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("fay-settings", "Role", "settings-reader", User("fay")), "rbac-named");
        using var fay = ClientFor(Cluster, Cluster.AddUser("fay"));

        var settings = await fay.CoreV1.ReadNamespacedConfigMapAsync("settings", "rbac-named");
        var other = await ForbiddenAsync(() => fay.CoreV1.ReadNamespacedConfigMapAsync("other", "rbac-named"));
        var list = await ForbiddenAsync(() => fay.CoreV1.ListNamespacedConfigMapAsync("rbac-named"));
        var watchAll = await ForbiddenAsync(() => fay.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("rbac-named", watch: true));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watched = new List<string>();
        await foreach (var (_, item) in fay.CoreV1.WatchListNamespacedConfigMapAsync("rbac-named", fieldSelector: "metadata.name=settings", cancellationToken: timeout.Token))
        {
            watched.Add(item.Metadata.Name);
            break;
        }

        Assert.Equal("value", settings.Data["key"]);
        Assert.Equal("configmaps \"other\" is forbidden: User \"fay\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"rbac-named\"", other);
        Assert.Equal("configmaps is forbidden: User \"fay\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"rbac-named\"", list);
        Assert.Equal("configmaps is forbidden: User \"fay\" cannot watch resource \"configmaps\" in API group \"\" in the namespace \"rbac-named\"", watchAll);
        Assert.Equal(["settings"], watched);
    }

    [Fact]
    public async Task Subresources_are_granted_apart_from_their_resource()
    {
        string? pod = null;
        await Wait.ForAsync(async () => (pod = (await _admin.CoreV1.ListNamespacedPodAsync("team-a", fieldSelector: "status.phase=Running")).Items.FirstOrDefault()?.Metadata.Name) is not null,
            "a running pod in team-a");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("log-and-scale-reader",
            Rule(["get"], ["pods/log"]), Rule(["get", "patch"], ["*/scale"], "apps")), "team-a");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("gil-logs", "Role", "log-and-scale-reader", User("gil")), "team-a");
        using var gil = ClientFor(Cluster, Cluster.AddUser("gil"));

        var log = await gil.CoreV1.ReadNamespacedPodLogAsync(pod!, "team-a");
        var scale = await gil.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "team-a");
        var getPod = await ForbiddenAsync(() => gil.CoreV1.ReadNamespacedPodAsync(pod!, "team-a"));
        var getDeployment = await ForbiddenAsync(() => gil.AppsV1.ReadNamespacedDeploymentAsync("web", "team-a"));
        var replaceScale = await ForbiddenAsync(() => gil.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "web", "team-a"));

        using var reader = new StreamReader(log);
        Assert.NotEmpty(await reader.ReadToEndAsync());
        Assert.Equal(12, scale.Spec.Replicas);
        Assert.Equal($"pods \"{pod}\" is forbidden: User \"gil\" cannot get resource \"pods\" in API group \"\" in the namespace \"team-a\"", getPod);
        Assert.Equal("deployments.apps \"web\" is forbidden: User \"gil\" cannot get resource \"deployments\" in API group \"apps\" in the namespace \"team-a\"", getDeployment);
        Assert.Equal("deployments.apps \"web\" is forbidden: User \"gil\" cannot update resource \"deployments/scale\" in API group \"apps\" in the namespace \"team-a\"", replaceScale);
    }

    [Fact]
    public async Task A_star_verb_grants_every_verb_but_only_in_the_rule_s_api_groups()
    {
        await CreateNamespacesAsync("rbac-star");
        await _admin.AppsV1.CreateNamespacedDeploymentAsync(Manifests.Deployment("doomed", 0), "rbac-star");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("apps-anything", Rule(["*"], ["*"], "apps")), "rbac-star");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("hal-apps", "Role", "apps-anything", User("hal")), "rbac-star");
        using var hal = ClientFor(Cluster, Cluster.AddUser("hal"));

        var deleted = await hal.AppsV1.DeleteCollectionNamespacedDeploymentAsync("rbac-star");
        var core = await ForbiddenAsync(() => hal.CoreV1.ListNamespacedConfigMapAsync("rbac-star"));

        Assert.NotNull(deleted);
        Assert.Empty((await _admin.AppsV1.ListNamespacedDeploymentAsync("rbac-star")).Items);
        Assert.Equal("configmaps is forbidden: User \"hal\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"rbac-star\"", core);
    }

    [Fact]
    public async Task Groups_and_service_accounts_are_subjects_too()
    {
        await CreateNamespacesAsync("rbac-sa");
        await _admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(ClusterRoleBinding("auditors-view", "view", Group("auditors")));
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("bot-edit", "ClusterRole", "edit", ServiceAccount("rbac-sa", "bot")), "rbac-sa");
        using var auditor = ClientFor(Cluster, Cluster.AddUser("ida", ["auditors"]));
        using var bot = ClientFor(Cluster, Cluster.AddUser("system:serviceaccount:rbac-sa:bot", ["system:serviceaccounts", "system:serviceaccounts:rbac-sa"]));

        var pods = await auditor.CoreV1.ListPodForAllNamespacesAsync();
        var secrets = await ForbiddenAsync(() => auditor.CoreV1.ListNamespacedSecretAsync("team-a"));
        var nodes = await ForbiddenAsync(() => auditor.CoreV1.ListNodeAsync());
        var made = await bot.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("made-by-bot"), "rbac-sa");

        Assert.NotNull(pods.Items);
        Assert.Equal("secrets is forbidden: User \"ida\" cannot list resource \"secrets\" in API group \"\" in the namespace \"team-a\"", secrets);
        Assert.Equal("nodes is forbidden: User \"ida\" cannot list resource \"nodes\" in API group \"\" at the cluster scope", nodes);
        Assert.Equal("made-by-bot", made.Metadata.Name);
    }

    [Fact]
    public async Task Every_authenticated_user_reads_discovery_health_and_openapi_but_no_other_path()
    {
        using var http = RawHttp.Create(Cluster, Cluster.AddUser("jo"));

        var paths = new[] { "version", "api", "api/v1", "apis", "apis/apps/v1", "healthz", "readyz", "openapi/v2" };
        var statuses = new List<int>();
        foreach (var path in paths)
        {
            using var response = await http.GetAsync(path);
            statuses.Add((int)response.StatusCode);
        }
        var (logs, status) = await http.GetJsonAsync("logs");

        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.Equal(403, logs);
        Assert.Equal("forbidden: User \"jo\" cannot get path \"/logs\"", status["message"]!.ToString());
    }

    [Fact]
    public async Task A_binding_takes_effect_at_once_and_one_to_a_missing_role_says_so()
    {
        await CreateNamespacesAsync("rbac-missing");
        using var kim = ClientFor(Cluster, Cluster.AddUser("kim"));
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("kim-view", "ClusterRole", "view", User("kim")), "rbac-missing");
        var allowed = await kim.CoreV1.ListNamespacedPodAsync("rbac-missing");

        await _admin.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync("kim-view", "rbac-missing");
        await _admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("kim-ghost", "ClusterRole", "ghost", User("kim")), "rbac-missing");
        var refused = await ForbiddenAsync(() => kim.CoreV1.ListNamespacedPodAsync("rbac-missing"));

        Assert.Empty(allowed.Items);
        Assert.Equal("pods is forbidden: User \"kim\" cannot list resource \"pods\" in API group \"\" in the namespace \"rbac-missing\": RBAC: clusterrole.rbac.authorization.k8s.io \"ghost\" not found", refused);
    }

    [Fact]
    public async Task The_viewer_reads_cluster_scoped_kinds_and_may_not_change_them()
    {
        using var viewer = ClientFor(Cluster, Cluster.ViewerToken);

        var nodes = await viewer.CoreV1.ListNodeAsync();
        var namespaces = await viewer.CoreV1.ListNamespaceAsync();
        var roles = await viewer.RbacAuthorizationV1.ListClusterRoleAsync();
        var delete = await ForbiddenAsync(() => viewer.CoreV1.DeleteNamespaceAsync("team-b"));
        var cordon = await ForbiddenAsync(() => viewer.CoreV1.PatchNodeAsync(new V1Patch("{\"spec\":{\"unschedulable\":true}}", V1Patch.PatchType.MergePatch), nodes.Items[0].Metadata.Name));

        Assert.NotEmpty(nodes.Items);
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "kube-system");
        Assert.Contains(roles.Items, r => r.Metadata.Name == "simulator:viewer");
        Assert.Equal("namespaces \"team-b\" is forbidden: User \"viewer\" cannot delete resource \"namespaces\" in API group \"\" in the namespace \"team-b\"", delete);
        Assert.Equal($"nodes \"{nodes.Items[0].Metadata.Name}\" is forbidden: User \"viewer\" cannot patch resource \"nodes\" in API group \"\" at the cluster scope", cordon);
    }

    private async Task CreateNamespacesAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await _admin.CoreV1.CreateNamespaceAsync(Manifests.Namespace(name));
        }
    }
}
