using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using MultiCluster.Core.Access;
using MultiCluster.Data;
using MultiCluster.Data.Secrets;
using MultiCluster.Web.Hosting;

namespace MultiCluster.Deploy.Tests;

/// <summary>
/// deploy/helm/multicluster rendered for its default values (release "multicluster" in namespace "multicluster") and
/// checked as a platform engineer would read it, then applied to a simulated cluster with kubectl.
/// </summary>
public sealed class HelmChartTests(ChartSimulator simulator) : IClassFixture<ChartSimulator>
{
    private const string Release = "multicluster";
    private const string Namespace = "multicluster";

    private static readonly ChartTemplates Chart = new(Repository.PathOf("deploy", "helm", "multicluster"));

    private static List<object> Manifests(IReadOnlyDictionary<string, object?>? overrides = null) =>
        KubernetesYaml.LoadAllFromString(Chart.RenderStream(Release, Namespace, overrides)).Where(o => o is not null).ToList();

    private static T One<T>(List<object> manifests) => Assert.Single(manifests.OfType<T>());

    private static V1Container Dashboard(List<object> manifests) => Assert.Single(One<V1Deployment>(manifests).Spec.Template.Spec.Containers);

    [Fact]
    public void Default_values_run_two_replicas_probed_on_healthz_and_readyz()
    {
        var manifests = Manifests();
        var deployment = One<V1Deployment>(manifests);
        var container = Dashboard(manifests);

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("multicluster:0.1.0", container.Image);
        var port = Assert.Single(container.Ports);
        Assert.Equal(("http", 8080), (port.Name, port.ContainerPort));
        Assert.Equal("http://+:8080", container.Env.Single(e => e.Name == "Urls").Value);
        Assert.Equal(("/healthz", "http"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal(("/readyz", "http"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal("/healthz", container.StartupProbe.HttpGet.Path);
        Assert.Equal("512Mi", container.Resources.Requests["memory"].ToString());
        Assert.Equal("2Gi", container.Resources.Limits["memory"].ToString());
    }

    [Fact]
    public void The_pod_runs_as_non_root_on_a_read_only_root_with_writable_tmp_and_data()
    {
        var manifests = Manifests();
        var pod = One<V1Deployment>(manifests).Spec.Template.Spec;
        var container = Dashboard(manifests);

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(1654, pod.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.False(pod.AutomountServiceAccountToken);
        foreach (var (path, volume) in new[] { ("/tmp", "tmp"), ("/data", "data") })
        {
            Assert.Equal(volume, Assert.Single(container.VolumeMounts, m => m.MountPath == path).Name);
            Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == volume).EmptyDir);
        }
        // The data directory the app is told about is the writable one.
        Assert.Equal("/data", container.Env.Single(e => e.Name == "MultiCluster__DataDirectory").Value);
    }

    [Fact]
    public void The_master_key_and_the_connection_string_come_from_secrets_never_from_the_manifest()
    {
        var manifests = Manifests();
        var env = Dashboard(manifests).Env.ToDictionary(e => e.Name);

        AssertFromSecret(env["MC_MASTER_KEY"], "multicluster-master-key", "MC_MASTER_KEY", optional: false);
        AssertFromSecret(env["MC_PREVIOUS_MASTER_KEYS"], "multicluster-master-key", "MC_PREVIOUS_MASTER_KEYS", optional: true);
        AssertFromSecret(env["ConnectionStrings__Registry"], "multicluster-database", "connection-string", optional: false);
        // The chart makes no Secret of its own with the defaults but the service account's token (filled in by the cluster).
        var secret = Assert.Single(manifests.OfType<V1Secret>());
        Assert.Equal("kubernetes.io/service-account-token", secret.Type);
        Assert.Null(secret.Data);
        Assert.Null(secret.StringData);

        // A connection string given in values goes into a Secret of the chart's, referenced like an existing one.
        const string connection = "Host=db;Database=multicluster;Username=multicluster;Password=s3cret";
        var withValue = Manifests(new Dictionary<string, object?> { ["database"] = new Dictionary<string, object?> { ["connectionString"] = connection } });
        var database = Assert.Single(withValue.OfType<V1Secret>(), s => s.Type == "Opaque");
        Assert.Equal("multicluster-database", database.Metadata.Name);
        Assert.Equal(connection, database.StringData["connection-string"]);
        AssertFromSecret(Dashboard(withValue).Env.Single(e => e.Name == "ConnectionStrings__Registry"), "multicluster-database", "connection-string", optional: false);
        Assert.DoesNotContain(Dashboard(withValue).Env, e => e.Value?.Contains("s3cret", StringComparison.Ordinal) == true);
    }

    private static void AssertFromSecret(V1EnvVar variable, string secret, string key, bool optional)
    {
        Assert.Null(variable.Value);
        Assert.Equal((secret, key), (variable.ValueFrom.SecretKeyRef.Name, variable.ValueFrom.SecretKeyRef.Key));
        Assert.Equal(optional, variable.ValueFrom.SecretKeyRef.Optional ?? false);
    }

    [Fact]
    public void The_settings_the_chart_sets_are_the_ones_the_app_reads()
    {
        var env = Dashboard(Manifests()).Env;
        // Environment variables become settings with "__" as ":" (the secret values are placeholders here).
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(env.Select(e => KeyValuePair.Create(e.Name.Replace("__", ":", StringComparison.Ordinal), (string?)(e.Value ?? "from-a-secret"))))
            .Build();

        var names = env.Select(e => e.Name.Replace("__", ":", StringComparison.Ordinal)).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            DatabaseOptions.ProviderKey, DatabaseOptions.ConnectionStringKey, DatabaseOptions.DataDirectoryKey,
            MasterKeyOptions.MasterKeyVariable, MasterKeyOptions.PreviousKeysVariable,
        }, names);
        Assert.Equal(DatabaseProvider.Postgres, configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()!.ParsedProvider);
        var proxy = ProxySettings.From(configuration);
        Assert.True(proxy.Enabled);
        Assert.Equal(["10.0.0.0/8"], proxy.KnownNetworks);
        Assert.Contains(proxy.ToOptions().KnownIPNetworks, n => n.ToString() == "10.0.0.0/8");
    }

    [Fact]
    public void The_ingress_keeps_a_browser_on_its_replica_and_reaches_the_pods_through_the_service()
    {
        var manifests = Manifests();
        var ingress = One<V1Ingress>(manifests);
        var service = One<V1Service>(manifests);
        var deployment = One<V1Deployment>(manifests);

        // Blazor Server: the circuit lives on one replica, so ingress-nginx pins the browser with a cookie.
        var annotations = ingress.Metadata.Annotations;
        Assert.Equal("cookie", annotations["nginx.ingress.kubernetes.io/affinity"]);
        Assert.Equal("persistent", annotations["nginx.ingress.kubernetes.io/affinity-mode"]);
        Assert.False(string.IsNullOrEmpty(annotations["nginx.ingress.kubernetes.io/session-cookie-name"]));
        // The circuit's WebSocket stays open longer than ingress-nginx's 60 s default.
        Assert.True(int.Parse(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"], System.Globalization.CultureInfo.InvariantCulture) >= 3600);
        Assert.Equal("nginx", ingress.Spec.IngressClassName);

        var backend = Assert.Single(Assert.Single(ingress.Spec.Rules).Http.Paths).Backend.Service;
        Assert.Equal(service.Metadata.Name, backend.Name);
        Assert.Equal("http", Assert.Single(service.Spec.Ports, p => p.Name == backend.Port.Name).TargetPort.Value);
        var podLabels = deployment.Spec.Template.Metadata.Labels;
        Assert.Subset(podLabels.ToHashSet(), service.Spec.Selector.ToHashSet());
        Assert.Subset(podLabels.ToHashSet(), deployment.Spec.Selector.MatchLabels.ToHashSet());

        var budget = One<V1PodDisruptionBudget>(manifests);
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.Subset(podLabels.ToHashSet(), budget.Spec.Selector.MatchLabels.ToHashSet());

        Assert.Empty(Manifests(new Dictionary<string, object?> { ["ingress"] = new Dictionary<string, object?> { ["enabled"] = false } }).OfType<V1Ingress>());
    }

    [Fact]
    public async Task Every_rendered_manifest_passes_kubectl_apply_dry_run_against_a_cluster()
    {
        var stream = Chart.RenderStream(Release, Namespace);

        var output = await simulator.Kubectl.OkAsync("apply --dry-run=client -f -", stream);

        foreach (var created in new[]
        {
            "serviceaccount/multicluster", "service/multicluster", "deployment.apps/multicluster", "ingress.networking.k8s.io/multicluster",
            "poddisruptionbudget.policy/multicluster", "clusterrole.rbac.authorization.k8s.io/multicluster-multicluster",
            "clusterrolebinding.rbac.authorization.k8s.io/multicluster-multicluster", "secret/multicluster-token",
        })
        {
            // "configured" when the RBAC test of this class has installed that part already.
            Assert.True(output.Contains($"{created} created (dry run)", StringComparison.Ordinal) || output.Contains($"{created} configured (dry run)", StringComparison.Ordinal),
                $"{created} is not in what kubectl said:\n{output}");
        }
    }

    /// <summary>What the dashboard's own identity does in a cluster (README, Access): watch, reconcile, impersonate, ask.</summary>
    public static TheoryData<string, string, string, string?, bool> DashboardRequests => new()
    {
        { "watch", "pods", "", null, true },
        { "list", "nodes", "", null, true },
        { "watch", "events", "", null, true },
        { "watch", "statefulsets", "apps", null, true },
        { "watch", "clusterrolebindings", RbacGroup, null, true },
        { "patch", "resourcequotas", "", "team-a", true },
        { "delete", "limitranges", "", "team-a", true },
        { "patch", "rolebindings", RbacGroup, "team-a", true },
        { "patch", "clusterroles", RbacGroup, null, true },
        { "bind", "clusterroles", RbacGroup, null, true },
        { "impersonate", "users", "", null, true },
        { "impersonate", "groups", "", null, true },
        { "create", "subjectaccessreviews", "authorization.k8s.io", null, true },
        // Writes for a person go as that person: the dashboard's own identity changes no workload and no Secret.
        { "delete", "pods", "", "team-a", false },
        { "create", "secrets", "", "team-a", false },
        { "patch", "deployments", "apps", "team-a", false },
    };

    private const string RbacGroup = "rbac.authorization.k8s.io";

    [Theory]
    [MemberData(nameof(DashboardRequests))]
    public async Task The_service_account_may_do_what_the_dashboard_does_in_its_own_cluster(string verb, string resource, string group, string? ns, bool allowed)
    {
        await InstallRbacAsync();
        var account = $"system:serviceaccount:{Namespace}:multicluster";
        string[] groups = ["system:serviceaccounts", $"system:serviceaccounts:{Namespace}", "system:authenticated"];

        var answer = await MultiCluster.Tests.KubectlCanI.AskAsync(simulator.KubeconfigPath, ChartSimulator.Context, new AccessQuestion(verb, resource, null, group, ns), account, groups);

        Assert.Equal(allowed, answer);
    }

    /// <summary>The chart's namespace, service account and RBAC applied for real, once for the class.</summary>
    private Task InstallRbacAsync() => simulator.OnceAsync("rbac", async () =>
    {
        await simulator.Kubectl.OkAsync("create namespace " + Namespace);
        var rendered = Chart.Render(Release, Namespace);
        await simulator.Kubectl.OkAsync("apply -f -", rendered["serviceaccount.yaml"] + "\n---\n" + rendered["rbac.yaml"]);
    });
}
