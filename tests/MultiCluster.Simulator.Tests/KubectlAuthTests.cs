using System.Net.Http.Headers;
using System.Text;
using k8s;
using MultiCluster.Simulator.Auth;
using MultiCluster.Simulator.Hosting;
using static MultiCluster.Simulator.Tests.Access;

namespace MultiCluster.Simulator.Tests;

/// <summary>
/// A cluster where the token user dana edits kc-rbac and, in kc-other, may read pod logs and the ConfigMap "settings"
/// only. The roles are made with KubernetesClient; kubectl then asks about them.
/// </summary>
public sealed class KubectlAccessFixture : KubectlFixture
{
    public const string DanaToken = "dana-token-0123456789";

    protected override SimulatorOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.Clusters[0].Users.Add(new TokenUser(DanaToken, "dana"));
        return options;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var admin = CreateClient();
        foreach (var ns in new[] { "kc-rbac", "kc-other" })
        {
            await admin.CoreV1.CreateNamespaceAsync(Manifests.Namespace(ns));
        }
        await admin.CoreV1.CreateNamespacedConfigMapAsync(Manifests.ConfigMap("settings"), "kc-other");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("dana-edit", "ClusterRole", "edit", User("dana")), "kc-rbac");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(Role("logs-and-settings",
            Rule(["get"], ["pods/log"]), Rule(["get"], ["configmaps"], names: ["settings"])), "kc-other");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(RoleBinding("dana-logs", "Role", "logs-and-settings", User("dana")), "kc-other");
    }
}

/// <summary>kubectl's access commands against the simulator: auth can-i (checked against what the user really gets), whoami, create role and binding, refusals.</summary>
public sealed class KubectlAuthTests(KubectlAccessFixture fixture) : IClassFixture<KubectlAccessFixture>
{
    private Kubectl Kubectl => fixture.Kubectl;

    private SimulatedCluster Cluster => fixture.Cluster;

    public static TheoryData<string, string, bool> CanICases => new()
    {
        // kubectl auth can-i ...                              the request dana makes                                              expected
        { "list pods -n kc-rbac", "GET api/v1/namespaces/kc-rbac/pods", true },
        { "watch pods -n kc-rbac", "WATCH api/v1/namespaces/kc-rbac/pods", true },
        { "create deployments.apps -n kc-rbac", "POST apis/apps/v1/namespaces/kc-rbac/deployments", true },
        { "patch deployments/web -n kc-rbac --subresource=scale", "PATCH apis/apps/v1/namespaces/kc-rbac/deployments/web/scale", true },
        { "delete pods/web -n kc-rbac", "DELETE api/v1/namespaces/kc-rbac/pods/web", true },
        { "deletecollection pods -n kc-rbac", "DELETE api/v1/namespaces/kc-rbac/pods", true },
        { "create pods/web -n kc-rbac --subresource=exec", "POST api/v1/namespaces/kc-rbac/pods/web/exec", true },
        { "get namespaces/kc-rbac -n kc-rbac", "GET api/v1/namespaces/kc-rbac", true },
        { "create roles -n kc-rbac", "POST apis/rbac.authorization.k8s.io/v1/namespaces/kc-rbac/roles", false },
        { "update resourcequotas/q -n kc-rbac", "PUT api/v1/namespaces/kc-rbac/resourcequotas/q", false },
        { "list pods -n kc-other", "GET api/v1/namespaces/kc-other/pods", false },
        { "get pods/web -n kc-other --subresource=log", "GET api/v1/namespaces/kc-other/pods/web/log", true },
        { "get pods/web -n kc-other", "GET api/v1/namespaces/kc-other/pods/web", false },
        { "get configmaps/settings -n kc-other", "GET api/v1/namespaces/kc-other/configmaps/settings", true },
        { "get configmaps/other -n kc-other", "GET api/v1/namespaces/kc-other/configmaps/other", false },
        { "list configmaps -n kc-other", "GET api/v1/namespaces/kc-other/configmaps", false },
        { "list pods -A", "GET api/v1/pods", false },
        { "list nodes", "GET api/v1/nodes", false },
        { "get /version", "GET version", true },
        { "get /logs", "GET logs", false },
    };

    [Theory]
    [MemberData(nameof(CanICases))]
    public async Task Can_i_answers_what_the_user_really_gets(string question, string request, bool expected)
    {
        var asToken = await Kubectl.RunAsync($"auth can-i {question} --token {KubectlAccessFixture.DanaToken}");
        var asImpersonated = await Kubectl.RunAsync($"auth can-i {question} --as dana");
        var status = await RequestAsync(request);

        Assert.Equal(expected ? ("yes", 0) : ("no", 1), (asToken.Output.Trim(), asToken.ExitCode));
        Assert.Equal(asToken.Output, asImpersonated.Output);
        Assert.True(expected ? status != 403 : status == 403, $"{request} as dana answered {status}");
    }

    [Fact]
    public async Task Can_i_list_shows_the_user_s_rules_in_a_namespace()
    {
        var lines = (await Kubectl.OkAsync($"auth can-i --list -n kc-other --token {KubectlAccessFixture.DanaToken}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Kubectl.Columns).ToList();
        var viewer = (await Kubectl.OkAsync($"auth can-i --list --token {Cluster.ViewerToken}")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Kubectl.Columns).ToList();

        Assert.Equal(["Resources", "Non-Resource URLs", "Resource Names", "Verbs"], lines[0]);
        Assert.Contains(["pods/log", "[]", "[]", "[get]"], lines);
        Assert.Contains(["configmaps", "[]", "[settings]", "[get]"], lines);
        Assert.Contains(["selfsubjectreviews.authentication.k8s.io", "[]", "[]", "[create]"], lines);
        Assert.Contains(["", "[/version]", "[]", "[get]"], lines.Select(l => l.Length == 3 ? ["", .. l] : l));
        Assert.Contains(["*.*", "[]", "[]", "[get list watch]"], viewer);
    }

    [Fact]
    public async Task Whoami_shows_the_impersonated_user_and_every_group_asked_for()
    {
        var whoami = await Kubectl.OkAsync("auth whoami --as erin --as-group qa --as-group oncall");
        var admin = await Kubectl.OkAsync("auth whoami");

        Assert.Equal([["ATTRIBUTE", "VALUE"], ["Username", "erin"], ["Groups", "[qa oncall system:authenticated]"]], Table(whoami));
        Assert.Equal([["ATTRIBUTE", "VALUE"], ["Username", "kubernetes-admin"], ["Groups", "[system:masters system:authenticated]"]], Table(admin));
        var record = Cluster.Requests.Recent.Last(r => r.User == "erin");
        Assert.Equal(["qa", "oncall", "system:authenticated"], record.Groups);
        Assert.Equal("kubernetes-admin", record.ImpersonatedBy);
    }

    [Fact]
    public async Task Kubectl_creates_roles_and_bindings_that_then_grant_access()
    {
        await Kubectl.OkAsync("create namespace kc-made");
        var role = await Kubectl.OkAsync("create role quota-reader -n kc-made --verb=get,list --resource=resourcequotas,pods/log");
        var clusterRole = await Kubectl.OkAsync("create clusterrole kc-aggregate --aggregation-rule=kc=yes");
        var labelled = await Kubectl.OkAsync("create clusterrole kc-nodes --verb=list --resource=nodes");
        await Kubectl.OkAsync("label clusterrole kc-nodes kc=yes");
        var binding = await Kubectl.OkAsync("create rolebinding dana-quota -n kc-made --role=quota-reader --user=dana --group=qa --serviceaccount=kc-made:bot");
        var clusterBinding = await Kubectl.OkAsync("create clusterrolebinding dana-nodes --clusterrole=kc-aggregate --user=dana");
        await Wait.ForAsync(async () => (await Kubectl.RunAsync($"auth can-i list nodes --token {KubectlAccessFixture.DanaToken}")).Output.Trim() == "yes",
            "kc-aggregate aggregating kc-nodes");

        var quotas = await Kubectl.RunAsync($"get quota -n kc-made --token {KubectlAccessFixture.DanaToken}");
        var nodes = await Kubectl.RunAsync($"get nodes --token {KubectlAccessFixture.DanaToken}");
        var wide = Table(await Kubectl.OkAsync("get rolebinding dana-quota -n kc-made -o wide"));
        var rules = await Kubectl.OkAsync("get clusterrole kc-aggregate -o jsonpath={.rules}");

        Assert.Equal(["role.rbac.authorization.k8s.io/quota-reader created", "clusterrole.rbac.authorization.k8s.io/kc-aggregate created", "clusterrole.rbac.authorization.k8s.io/kc-nodes created",
            "rolebinding.rbac.authorization.k8s.io/dana-quota created", "clusterrolebinding.rbac.authorization.k8s.io/dana-nodes created"],
            new[] { role, clusterRole, labelled, binding, clusterBinding }.Select(o => o.Trim()));
        Assert.Equal((0, "No resources found in kc-made namespace."), (quotas.ExitCode, quotas.Error.Trim()));
        Assert.Equal(0, nodes.ExitCode);
        Assert.Equal(["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"], wide[0]);
        Assert.Equal(["dana-quota", "Role/quota-reader", "dana", "qa", "kc-made/bot"], wide[1].Where((_, i) => i != 2));
        Assert.Equal("""[{"apiGroups":[""],"resources":["nodes"],"verbs":["list"]}]""", rules);
    }

    [Fact]
    public async Task Kubectl_prints_kube_apiserver_s_refusals()
    {
        var list = await Kubectl.RunAsync($"get pods -n kc-other --token {KubectlAccessFixture.DanaToken}");
        var impersonate = await Kubectl.RunAsync($"get pods -n kc-rbac --token {KubectlAccessFixture.DanaToken} --as erin");
        var viewer = await Kubectl.RunAsync($"delete namespace kc-other --token {Cluster.ViewerToken}");

        Assert.Equal("Error from server (Forbidden): pods is forbidden: User \"dana\" cannot list resource \"pods\" in API group \"\" in the namespace \"kc-other\"", list.Error.Trim());
        Assert.Equal("Error from server (Forbidden): users \"erin\" is forbidden: User \"dana\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope", impersonate.Error.Trim());
        Assert.Equal("Error from server (Forbidden): namespaces \"kc-other\" is forbidden: User \"viewer\" cannot delete resource \"namespaces\" in API group \"\" in the namespace \"kc-other\"", viewer.Error.Trim());
    }

    private static List<string[]> Table(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Kubectl.Columns)];

    /// <summary>Makes the request as dana (writes as dry runs) and returns the status code; a watch is answered once its headers arrive.</summary>
    private async Task<int> RequestAsync(string request)
    {
        var (method, path) = (request.Split(' ')[0], request.Split(' ')[1]);
        using var http = RawHttp.Create(Cluster, KubectlAccessFixture.DanaToken);
        using var message = method switch
        {
            "GET" => new HttpRequestMessage(HttpMethod.Get, path),
            "WATCH" => new HttpRequestMessage(HttpMethod.Get, path + "?watch=1"),
            "DELETE" => new HttpRequestMessage(HttpMethod.Delete, path + "?dryRun=All"),
            _ => new HttpRequestMessage(new HttpMethod(method), path + "?dryRun=All")
            {
                Content = new StringContent("{}", Encoding.UTF8, new MediaTypeHeaderValue(method == "PATCH" ? "application/merge-patch+json" : "application/json")),
            },
        };
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        return (int)response.StatusCode;
    }
}
